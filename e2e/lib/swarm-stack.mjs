// A generated stack on the three-node swarm of setup/start-swarm.sh: which container runs on
// which node, what Consul says (asked inside a Consul server container, as nothing is published
// but nginx), and a bounded client loop through nginx that counts what failed.
import http from 'node:http';
import { run } from './sh.mjs';

const DOCKER = '/usr/bin/docker';
export const NODE_IPS = ['10.233.0.11', '10.233.0.12', '10.233.0.13'];

export class SwarmStack {
  /** `hosts`: DOCKER_HOST of node1..3; `stack`: the stack's name. */
  constructor(hosts, stack) {
    this.hosts = hosts;
    this.stack = stack;
  }

  docker(node, args, opts = {}) {
    return run(DOCKER, args, { env: { ...process.env, DOCKER_HOST: this.hosts[node] }, timeoutMs: 120_000, ...opts });
  }

  /**
   * A manager command on node1, tried again while the swarm has no leader: a manager that was cut
   * off comes back with a higher raft term, and the managers elect again (bounded: 90 s).
   */
  async manage(args, opts = {}) {
    const deadline = performance.now() + 90_000;
    for (;;) {
      const r = await this.docker(0, args, { ...opts, allowFail: true });
      if (r.code === 0) return r;
      if (!/does not have a leader|context deadline exceeded/.test(r.stderr) || performance.now() > deadline) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
      await new Promise((res) => setTimeout(res, 1000));
    }
  }

  /** hostname (a container's short ID) -> node index, for the running containers of `service`. */
  async containers(service, nodes = [0, 1, 2]) {
    const out = new Map();
    for (const n of nodes) {
      const { stdout } = await this.docker(n, ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${this.stack}_${service}`], { timeoutMs: 20_000 });
      for (const id of stdout.trim().split('\n').filter(Boolean)) out.set(id.slice(0, 12), n);
    }
    return out;
  }

  /** The IDs of the tasks of `services` that swarm keeps running: a restart or reschedule makes a new one. */
  async tasks(services) {
    const ids = [];
    for (const svc of services) {
      const { stdout } = await this.docker(0, ['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.ID}} {{.CurrentState}}', `${this.stack}_${svc}`]);
      ids.push(...stdout.trim().split('\n').filter((l) => / Running\b/.test(l)).map((l) => l.split(' ')[0]));
    }
    return ids.sort();
  }

  /** Runs `fetch(path)` against the Consul HTTP API inside a Consul server container on `node`; JSON back. */
  async consul(path, node = 0, init = undefined) {
    const [id] = [...(await this.containers('consul', [node])).keys()];
    if (!id) throw new Error(`no consul server runs on node${node + 1}`);
    const script = `fetch('http://127.0.0.1:8500${path}', ${JSON.stringify(init ?? {})}).then(async (r) => { const t = await r.text(); if (!r.ok) { console.error(r.status, t); process.exit(1); } process.stdout.write(t); })`;
    const { stdout } = await this.docker(node, ['exec', id, 'node', '-e', script], { timeoutMs: 20_000 });
    try {
      return JSON.parse(stdout);
    } catch {
      return stdout; // ?raw
    }
  }

  /** The passing instances of `service` in Consul: their node names (the containers' hostnames). */
  async passing(service, node = 0) {
    return (await this.consul(`/v1/health/service/${service}?passing`, node)).map((e) => e.Node.Node).sort();
  }

  async raft(node = 0) {
    const [leader, peers] = [await this.consul('/v1/status/leader', node), await this.consul('/v1/status/peers', node)];
    return { leader, peers };
  }
}

/**
 * GET http://<ip><path> on a connection of its own: the body's last word (the answering
 * hostname), or an error. A fresh connection per request, as a reused keep-alive connection can
 * be closed by an nginx reload just as a request goes out; clients retry those (RFC 9112 9.3.1),
 * and the loop must count only what the swarm loses.
 */
export function ask(ip, path, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    const req = http.get({ host: ip, port: 80, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 ? { ok: true, host: body.trim().split(/\s+/).pop() } : { ok: false, error: `HTTP ${res.statusCode}` }));
      res.on('error', (err) => resolve({ ok: false, error: err.code ?? err.message }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err) => resolve({ ok: false, error: err.code ?? err.message }));
  });
}

/**
 * A client loop: `concurrency` workers asking nginx in turn for each path until stopped (or
 * `maxRequests`), each request bounded by its timeout. Records every answer with its time.
 */
export function clientLoop(ip, paths, { concurrency = 4, maxRequests = 20_000, timeoutMs = 10_000 } = {}) {
  const results = [];
  let stopped = false;
  let sent = 0;
  const worker = async (w) => {
    while (!stopped && sent < maxRequests) {
      const path = paths[sent++ % paths.length];
      const started = performance.now();
      const r = await ask(ip, path, timeoutMs);
      results.push({ ...r, path, worker: w, started, ended: performance.now() });
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return {
    results,
    stop: async () => {
      stopped = true;
      await done;
      return results;
    },
  };
}
