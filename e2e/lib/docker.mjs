// The e2e's own Docker daemon and the compose project under test, driven through Debian's
// clients (/usr/bin/docker, /usr/bin/docker-compose): a newer CLI earlier in PATH is not used.
// Compose v2 is Debian's docker with the `docker compose` plugin that scripts/setup-compose.sh
// installs; v1 is Debian's docker-compose. Users have either, so the e2e runs both.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './sh.mjs';

export const DOCKER = '/usr/bin/docker';
export const COMPOSE = '/usr/bin/docker-compose';
const CLIS = { v2: [DOCKER, 'compose'], v1: [COMPOSE] };

const NOISE = /\[(DEBUG|TRACE)\]|no live upstreams while connecting to upstream/;

export class Project {
  /** dir: the generated project; dockerHost: unix://... of the e2e daemon; compose: 'v2' or 'v1'. */
  constructor(dir, dockerHost, { compose = 'v2' } = {}) {
    this.dir = dir;
    this.composeVersion = compose;
    this.env = { ...process.env, DOCKER_HOST: dockerHost, PATH: `/usr/bin:${process.env.PATH}` };
    // Compose's interactive output is noise in a log.
    this.env.COMPOSE_INTERACTIVE_NO_CLI = '1';
    delete this.env.DOCKER_CONTEXT;
    delete this.env.DOCKER_CONFIG;
  }

  docker(args, opts = {}) {
    return run(DOCKER, args, { env: this.env, ...opts });
  }

  compose(args, opts = {}) {
    const [cmd, ...pre] = CLIS[this.composeVersion];
    return run(cmd, [...pre, '--ansi', 'never', ...args], { env: this.env, cwd: this.dir, ...opts });
  }

  /** The command a user types: `docker compose` or `docker-compose`. */
  get composeCommand() {
    return this.composeVersion === 'v2' ? 'docker compose' : 'docker-compose';
  }

  /** Fails, saying how to fix it, unless `docker compose` (v2) runs. */
  async requireComposeV2() {
    const r = await run(DOCKER, ['compose', 'version'], { env: this.env, allowFail: true, timeoutMs: 30_000 });
    if (r.code !== 0 || !/version v?[2-9]/i.test(r.stdout)) {
      throw new Error('Compose v2 (`docker compose`) is not installed: run `bash scripts/setup-compose.sh` ' +
        `(builds it from source and installs the docker CLI plugin). ${DOCKER} compose version said: ${(r.stdout + r.stderr).trim().slice(0, 200)}`);
    }
    return r.stdout.trim();
  }

  /** Container IDs of a service (running or not). */
  async ids(service) {
    const { stdout } = await this.compose(['ps', '-a', '-q', service], { timeoutMs: 30_000 });
    return stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  }

  async inspect(ids) {
    if (ids.length === 0) return [];
    const { stdout } = await this.docker(['inspect', ...ids], { timeoutMs: 30_000 });
    return JSON.parse(stdout);
  }

  /** The IPv4 address of one container of `service` on the compose network. */
  async ip(service) {
    const [id] = await this.ids(service);
    if (!id) throw new Error(`no container for service ${service}`);
    const [info] = await this.inspect([id]);
    const nets = Object.values(info.NetworkSettings.Networks ?? {});
    const ip = nets.map((n) => n.IPAddress).find(Boolean);
    if (!ip) throw new Error(`service ${service} (${id.slice(0, 12)}) has no IP address`);
    return ip;
  }

  /**
   * A file inside a running container, read through its root filesystem on the host (overlay2's
   * merged dir): no `docker exec`, so it can be polled often without disturbing timings.
   */
  async readContainerFile(id, path) {
    this.merged ??= new Map();
    if (!this.merged.has(id)) {
      const { stdout } = await this.docker(['inspect', '-f', '{{.GraphDriver.Data.MergedDir}}', id], { timeoutMs: 30_000 });
      this.merged.set(id, stdout.trim());
    }
    return readFile(join(this.merged.get(id), path), 'utf8');
  }

  /**
   * The last `tail` log lines of each given service, for failure reports, without the lines the
   * e2e's own polling causes: Consul in dev mode logs every HTTP request at DEBUG, and nginx logs
   * each request it cannot forward yet ("no live upstreams").
   */
  async logs(services, tail = 50) {
    const parts = [];
    for (const service of services) {
      const { stdout, stderr } = await this.compose(['logs', '--no-color', '--tail', 'all', service], {
        timeoutMs: 30_000,
        allowFail: true,
      });
      const all = `${stdout}${stderr}`.split('\n').filter((l) => l.trim() && !/^Attaching to /.test(l));
      const lines = all.filter((l) => !NOISE.test(l));
      const left = all.length - lines.length;
      parts.push(`--- ${service} (last ${Math.min(lines.length, tail)} lines${left ? `; ${left} request/DEBUG lines left out` : ''})`, ...lines.slice(-tail));
    }
    return parts.join('\n');
  }
}

/** GET http://host:port/path with a short timeout -> { status, body }. */
export async function httpGet(url, timeoutMs = 3000) {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { connection: 'close' } });
  return { status: res.status, body: await res.text() };
}
