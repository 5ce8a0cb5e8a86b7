// `autopilot new hello-world --target swarm` on a real three-node swarm (setup/start-swarm.sh):
// the images are built on node1 (stand-in base images, the vendored binary: no registry), loaded
// into the other nodes, and `docker stack deploy` runs the generated docker-stack.yml. Then the
// drills, each timed: the Consul cluster forms and the apps pass on all three nodes; a scale to
// hello=10 world=6 reaches nginx exactly; a node is cut off while a client loop runs through nginx
// (quorum kept, lost instances critical and out of nginx, rescheduled, failures counted); a
// rolling update under the client loop (each old instance out of Consul and out of nginx's traffic
// before its app gets SIGTERM); a Consul server killed and replaced with its data; then the same
// project under `docker compose up` on one node.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Phases } from './lib/phases.mjs';
import { run, waitFor } from './lib/sh.mjs';
import { stopTimeline, UPSTREAM_LOG, upstreamAttempts, withUpstreamLog } from './lib/swarm-drain.mjs';
import { ask, clientLoop, NODE_IPS, SwarmStack } from './lib/swarm-stack.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const setup = (name) => join(here, 'setup', name);
const STACK = 'hw';
const SERVICES = ['consul', 'nginx', 'hello', 'world'];
const image = (svc, tag = 'latest') => `${STACK}-${svc}:${tag}`;
const byNode = (hosts, where) => [...new Set(hosts.map((h) => where.get(h)))].sort();

test('new hello-world --target swarm on three nodes: deploy, scale, lose a node, roll an update, lose a Consul server; then docker compose up of it', { timeout: 30 * 60_000 }, async () => {
  let swarm;
  const phases = new Phases({ logsFor: async (services) => (await Promise.all(services.map(async (s) => (await swarm.docker(0, ['service', 'ps', '--no-trunc', `${STACK}_${s}`], { allowFail: true })).stdout))).join('\n') });
  const work = mkdtempSync(join(tmpdir(), 'autopilot-swarm-'));
  const project = join(work, STACK);
  let passed = false;
  try {
    const hosts = await phases.run('start-swarm.sh: three dockerd in three namespaces, three managers', [], async () => {
      const { stdout } = await run('bash', [setup('start-swarm.sh')], { timeoutMs: 5 * 60_000 });
      return stdout.trim().split('\n').filter((l) => l.startsWith('DOCKER_HOST=')).map((l) => l.slice('DOCKER_HOST='.length));
    });
    swarm = new SwarmStack(hosts, STACK);

    await phases.run('stand-in base images on every node (cached)', [], async () => {
      for (const host of hosts) await run('bash', [setup('build-base-images.sh')], { env: { ...process.env, DOCKER_HOST: host }, timeoutMs: 15 * 60_000 });
    });

    const binary = join(repo, 'dist', 'bin', 'autopilot-linux-x64');
    await phases.run('new hello-world --target swarm --vendor (the single-file binary)', [], async () => {
      await run(process.execPath, [join(repo, 'scripts', 'build-binary.mjs'), '--target', 'autopilot-linux-x64'], { cwd: repo, timeoutMs: 5 * 60_000 });
      await run(binary, ['new', 'hello-world', project, '--target', 'swarm', '--vendor', '--yes']);
      // The one change to the generated project: nginx logs the upstream of every request, which
      // is how the rolling update shows when nginx stopped sending to an old instance.
      for (const f of ['nginx.conf', 'nginx.conf.ctmpl']) writeFileSync(join(project, 'nginx', f), withUpstreamLog(readFileSync(join(project, 'nginx', f), 'utf8')));
    });
    const stackFile = parse(readFileSync(join(project, 'docker-stack.yml'), 'utf8'));
    assert.deepEqual(Object.keys(stackFile.services), SERVICES);

    await phases.run('images built on node1, loaded into node2 and node3 (docker save | docker load)', [], async () => {
      for (const svc of SERVICES) await swarm.docker(0, ['build', '-q', '-t', image(svc), join(project, stackFile.services[svc].build)], { env: { ...process.env, DOCKER_HOST: hosts[0], DOCKER_BUILDKIT: '0' }, timeoutMs: 10 * 60_000 });
      const tar = join(work, 'images.tar');
      await swarm.docker(0, ['save', '-o', tar, ...SERVICES.map((s) => image(s))], { timeoutMs: 5 * 60_000 });
      for (const n of [1, 2]) await swarm.docker(n, ['load', '-q', '-i', tar], { timeoutMs: 5 * 60_000 });
      rmSync(tar);
      // A Consul data volume an earlier run left on a node belongs to another cluster.
      for (const n of [0, 1, 2]) await swarm.docker(n, ['volume', 'rm', '-f', `${STACK}_consul-data`], { allowFail: true });
    });

    let where;
    await phases.run('docker stack deploy: 3 Consul servers elect a leader; hello and world pass on all three nodes; nginx serves both', ['consul', 'hello', 'world'], async () => {
      const deployed = await swarm.docker(0, ['stack', 'deploy', '--resolve-image', 'never', '-c', join(project, 'docker-stack.yml'), STACK], { env: { ...process.env, DOCKER_HOST: hosts[0], REGISTRY: '', TAG: 'latest' } });
      assert.doesNotMatch(deployed.stderr, /error/i);
      const started = performance.now();
      await waitFor('a raft leader with 3 peers', async () => {
        const r = await swarm.raft().catch(() => undefined);
        return r?.leader && r.peers.length === 3 ? r : undefined;
      }, { timeoutMs: 240_000, everyMs: 2000, describe: async () => JSON.stringify(await swarm.raft().catch((e) => e.message)) });
      phases.note('deploy -> raft leader, 3 servers', performance.now() - started);
      for (const svc of ['hello', 'world']) {
        await waitFor(`3 passing ${svc} on 3 nodes`, async () => {
          const ok = await swarm.passing(svc).catch(() => []);
          where = new Map([...(await swarm.containers('hello')), ...(await swarm.containers('world'))]);
          return ok.length === 3 && byNode(ok, where).length === 3 ? ok : undefined;
        }, { timeoutMs: 180_000, everyMs: 2000, describe: async () => (await swarm.passing(svc).catch((e) => [e.message])).join(' ') });
      }
      phases.note('deploy -> hello and world passing on all nodes', performance.now() - started);
      for (const ip of NODE_IPS) {
        for (const path of ['/hello', '/world']) {
          await waitFor(`nginx on ${ip} serves ${path}`, async () => ((await ask(ip, path, 3000)).ok ? true : undefined), { timeoutMs: 60_000, everyMs: 500, describe: async () => JSON.stringify(await ask(ip, path, 3000)) });
        }
      }
      phases.note('deploy -> nginx on every node serves both', performance.now() - started);
    });

    // Asks nginx on `ip` until every expected hostname answered; fails on a stranger. Bounded.
    async function servedBy(ip, path, expected) {
      const seen = new Set();
      for (let i = 0; i < expected.length * 30 && seen.size < expected.length; i++) {
        const r = await ask(ip, path, 5000);
        if (!r.ok) continue;
        assert.ok(expected.includes(r.host), `${path} answered by ${r.host}, which is not a passing instance (${expected.join(' ')})`);
        seen.add(r.host);
      }
      return [...seen].sort();
    }

    await phases.run('docker service scale hello=10 world=6: nginx serves exactly those 16, spread over the nodes', ['hello', 'world'], async () => {
      const started = performance.now();
      await swarm.docker(0, ['service', 'scale', '--detach', `${STACK}_hello=10`, `${STACK}_world=6`]);
      const want = { hello: 10, world: 6 };
      for (const [svc, count] of Object.entries(want)) {
        const ok = await waitFor(`${count} passing ${svc}`, async () => {
          const p = await swarm.passing(svc).catch(() => []);
          return p.length === count ? p : undefined;
        }, { timeoutMs: 240_000, everyMs: 2000, describe: async () => `${(await swarm.passing(svc)).length} passing` });
        where = new Map([...(await swarm.containers('hello')), ...(await swarm.containers('world'))]);
        assert.deepEqual(byNode(ok, where), [0, 1, 2], `${svc} runs on all three nodes`);
        const served = await servedBy(NODE_IPS[0], `/${svc}`, ok);
        assert.deepEqual(served, ok, `nginx serves exactly the ${count} passing ${svc}`);
      }
      phases.note('scale -> 16 passing and served by nginx', performance.now() - started);
    });

    await phases.run('node3 cut off under a client loop: quorum and leader kept, its instances critical and out of nginx, rescheduled, failures counted', ['hello', 'world'], async () => {
      const lost = [...where].filter(([, n]) => n === 2).map(([h]) => h);
      const loop = clientLoop(NODE_IPS[0], ['/hello', '/world'], { concurrency: 4, timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 2000));
      const cut = performance.now();
      await run('ip', ['link', 'set', 'apsw3-h', 'down']);
      const raft = await waitFor('leader with node3 gone', async () => {
        const r = await swarm.raft().catch(() => undefined);
        return r?.leader ? r : undefined;
      }, { timeoutMs: 60_000, everyMs: 1000 });
      assert.ok(raft.peers.length >= 2, `raft keeps a quorum: ${raft.peers.join(' ')}`);
      const servers = await waitFor('consul-node3 failed in gossip', async () => {
        const m = (await swarm.consul('/v1/agent/members', 0)).filter((x) => x.Tags?.role === 'consul');
        return m.find((x) => x.Name === 'consul-node3')?.Status !== 1 ? m : undefined;
      }, { timeoutMs: 60_000, everyMs: 1000 });
      assert.deepEqual(servers.filter((x) => x.Status === 1).map((x) => x.Name).sort(), ['consul-node1', 'consul-node2']);
      assert.notEqual((await swarm.raft()).leader, undefined);
      await waitFor("node3's instances out of the passing ones", async () => {
        const p = [...(await swarm.passing('hello')), ...(await swarm.passing('world'))];
        return lost.every((h) => !p.includes(h)) ? true : undefined;
      }, { timeoutMs: 120_000, everyMs: 500 });
      phases.note(`node3 cut -> its ${lost.length} instances critical in Consul`, performance.now() - cut);
      // A consistent read, retried: right after a member fails, a server may not yet know where
      // the leader is and answers 500 for a moment.
      const critical = await waitFor('the critical checks, read through the leader', () => swarm.consul('/v1/health/state/critical'), { timeoutMs: 30_000, everyMs: 1000 });
      assert.ok(lost.every((h) => critical.some((c) => c.Node === h)), 'the lost instances are critical (serfHealth), not gone');
      await waitFor('nginx answers from node1 and node2 only', async () => {
        const recent = loop.results.slice(-20);
        return recent.length === 20 && recent.every((r) => r.ok && !lost.includes(r.host)) ? true : undefined;
      }, { timeoutMs: 60_000, everyMs: 500 });
      const lastLost = Math.max(cut, ...loop.results.filter((r) => r.ok && lost.includes(r.host)).map((r) => r.ended));
      phases.note('node3 cut -> last answer from it through nginx', lastLost - cut);
      for (const [svc, count] of Object.entries({ hello: 10, world: 6 })) {
        await waitFor(`${count} passing ${svc} again, on node1 and node2`, async () => {
          const p = await swarm.passing(svc).catch(() => []);
          return p.length === count && p.every((h) => !lost.includes(h)) ? p : undefined;
        }, { timeoutMs: 240_000, everyMs: 2000, describe: async () => `${(await swarm.passing(svc)).length} passing` });
      }
      phases.note('node3 cut -> rescheduled and passing again (16)', performance.now() - cut);
      const results = await loop.stop();
      const failed = results.filter((r) => !r.ok);
      const inFlight = results.filter((r) => r.started < cut && r.ended > cut).length;
      process.stderr.write(`   client loop: ${results.length} requests, ${failed.length} failed (${failed.map((f) => f.error).join(', ') || 'none'}), ${inFlight} in flight at the cut\n`);
      assert.ok(failed.length <= 4, `at most the requests in flight (4 workers) fail: ${failed.length}`);
      swarm.failuresAtCut = { requests: results.length, failed: failed.length, inFlight };
    });

    await phases.run('node3 back: Ready, the Consul server returns to it, raft has 3 peers', ['consul'], async () => {
      const back = performance.now();
      await run('ip', ['link', 'set', 'apsw3-h', 'up']);
      // A manager cut off comes back with a higher raft term: swarm elects again before it takes orders.
      await waitFor('swarm: node3 Ready and a leader', async () => {
        const { stdout } = await swarm.docker(0, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'], { allowFail: true, timeoutMs: 20_000 });
        return /node3 Ready/.test(stdout) && / Leader$/m.test(stdout) ? true : undefined;
      }, { timeoutMs: 120_000, everyMs: 1000 });
      await waitFor("node3's Consul server alive again, raft of 3", async () => {
        const members = await swarm.consul('/v1/agent/members', 0).catch(() => []);
        const r = await swarm.raft().catch(() => undefined);
        const alive = members.filter((m) => m.Tags?.role === 'consul' && m.Status === 1).map((m) => m.Name).sort();
        return r?.leader && r.peers.length === 3 && alive.join() === 'consul-node1,consul-node2,consul-node3' ? alive : undefined;
      }, { timeoutMs: 240_000, everyMs: 2000, describe: async () => JSON.stringify(await swarm.raft().catch((e) => e.message)) });
      phases.note('node3 back -> 3 Consul servers', performance.now() - back);
    });

    await phases.run('rolling update of hello (service update --image) under a client loop: no failed request; each old one out of Consul, then out of nginx, before its SIGTERM', ['hello'], async () => {
      const index = join(project, 'hello', 'index.js');
      writeFileSync(index, readFileSync(index, 'utf8').replace(/'Hello'/, "'Howdy'"));
      await swarm.docker(0, ['build', '-q', '-t', image('hello', 'v2'), join(project, 'hello')], { env: { ...process.env, DOCKER_HOST: hosts[0], DOCKER_BUILDKIT: '0' }, timeoutMs: 10 * 60_000 });
      const tar = join(work, 'v2.tar');
      await swarm.docker(0, ['save', '-o', tar, image('hello', 'v2')]);
      for (const n of [1, 2]) await swarm.docker(n, ['load', '-q', '-i', tar]);
      // The instances the update replaces. A returning node's stale tasks still run (and pass)
      // until swarm shuts them down: wait for that, so each old instance is one the update stops.
      const old = await waitFor('10 passing hello, each a running container of the service', async () => {
        const byHost = await swarm.containers('hello');
        const passing = (await swarm.consul('/v1/health/service/hello?passing')).map((e) => ({ host: e.Node.Node, addr: `${e.Service.Address}:${e.Service.Port}`, node: byHost.get(e.Node.Node) }));
        return passing.length === 10 && byHost.size === 10 && passing.every((o) => o.node !== undefined) ? passing : undefined;
      }, { timeoutMs: 180_000, everyMs: 2000, describe: async () => JSON.stringify(await swarm.consul('/v1/health/service/hello?passing').catch((e) => e.message)) });
      const loop = clientLoop(NODE_IPS[0], ['/hello'], { concurrency: 4, timeoutMs: 10_000, maxRequests: 200_000 });
      const started = performance.now();
      await swarm.manage(['service', 'update', '--detach', '--no-resolve-image', '--image', image('hello', 'v2'), `${STACK}_hello`]);
      await waitFor('every hello answers Howdy', async () => {
        const { stdout } = await swarm.docker(0, ['service', 'inspect', '-f', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}', `${STACK}_hello`]);
        return stdout.trim() === 'completed' ? true : undefined;
      }, { timeoutMs: 600_000, everyMs: 2000, describe: async () => (await swarm.docker(0, ['service', 'ps', `${STACK}_hello`, '--filter', 'desired-state=running'])).stdout });
      phases.note('rolling update of 10 hello', performance.now() - started);
      const results = await loop.stop();
      const failed = results.filter((r) => !r.ok);
      process.stderr.write(`   client loop: ${results.length} requests, ${failed.length} failed (${failed.map((f) => f.error).join(', ') || 'none'})\n`);
      assert.ok(results.length < 200_000, 'the client loop ran for the whole update');
      assert.equal(failed.length, 0, 'no failed request during the rolling update');

      // nginx on node1 (the loop's) logged every attempt, failed ones too, with the upstream tried.
      const [nginx] = [...(await swarm.containers('nginx', [0])).keys()];
      const attempts = upstreamAttempts((await swarm.docker(0, ['exec', nginx, 'cat', UPSTREAM_LOG], { timeoutMs: 60_000 })).stdout);
      const gaps = [];
      for (const o of old) {
        const t = await stopTimeline(swarm, o.node, o.host, 'hello');
        const what = `old hello ${o.host} (${o.addr}): ${JSON.stringify(t)}`;
        assert.ok(t.deregistered !== undefined && t.sigterm !== undefined, `${what}: autopilot logged its deregistration and the app its SIGTERM`);
        assert.ok(t.deregistered < t.sigterm, `${what}: deregistered before SIGTERM`);
        // Its address is its own while its container runs (another task may have it before or after).
        const mine = attempts.filter((a) => a.addr === o.addr && a.start >= t.started && a.start < t.exited);
        assert.ok(mine.length > 0, `${what}: nginx sent it requests before the update`);
        const late = mine.filter((a) => a.end >= t.sigterm);
        assert.deepEqual(late, [], `${what}: no request reached it from SIGTERM on`);
        const last = Math.max(...mine.map((a) => a.end));
        gaps.push({ deregToSigterm: t.sigterm - t.deregistered, lastToSigterm: t.sigterm - last, deregToLast: last - t.deregistered });
      }
      const range = (k) => [Math.min(...gaps.map((g) => g[k])), Math.max(...gaps.map((g) => g[k]))].map((v) => Math.round(v)).join('..');
      process.stderr.write(`   old instances: deregistered -> SIGTERM ${range('deregToSigterm')} ms, last request through nginx -> SIGTERM ${range('lastToSigterm')} ms, deregistered -> last request ${range('deregToLast')} ms\n`);
      phases.note('old hello: deregistered -> app SIGTERM (shortest of 10)', Math.min(...gaps.map((g) => g.deregToSigterm)));
      phases.note('old hello: last request through nginx -> app SIGTERM (shortest of 10)', Math.min(...gaps.map((g) => g.lastToSigterm)));
      phases.note('old hello: deregistered -> last request through nginx (longest of 10)', Math.max(...gaps.map((g) => g.deregToLast)));
    });

    await phases.run('a Consul server killed: the cluster is back to 3 with its data, no app restarted', ['consul'], async () => {
      await swarm.consul('/v1/kv/drill', 0, { method: 'PUT', body: 'kept' });
      const apps = await swarm.tasks(['hello', 'world']);
      const [victim] = [...(await swarm.containers('consul', [1])).keys()];
      const killed = performance.now();
      await swarm.docker(1, ['kill', victim]);
      await waitFor('a new Consul server on node2 in a raft of 3', async () => {
        const [id] = [...(await swarm.containers('consul', [1])).keys()];
        if (!id || id === victim) return undefined;
        const r = await swarm.raft(1).catch(() => undefined);
        return r?.leader && r.peers.length === 3 ? r : undefined;
      }, { timeoutMs: 240_000, everyMs: 2000 });
      phases.note('Consul server killed -> back in a raft of 3', performance.now() - killed);
      // ?stale: the new server answers from its own raft replica, not through the leader.
      await waitFor('the key written before, on the new server', async () => ((await swarm.consul('/v1/kv/drill?raw&stale', 1).catch(() => '')) === 'kept' ? true : undefined), { timeoutMs: 60_000, everyMs: 1000 });
      phases.note('Consul server killed -> its successor has the data', performance.now() - killed);
      // A consistent read goes through the leader. Until gossip has told every server where the
      // leader is, a server answers 500 "Raft leader not found in server lookup mapping": Consul
      // being Consul for a few seconds after a membership change, which agents retry. The drill
      // waits for every server to serve one, then counts.
      const counts = await waitFor('a consistent read of hello and world on every server', async () => {
        const seen = [];
        for (const node of [0, 1, 2]) seen.push([(await swarm.passing('hello', node)).length, (await swarm.passing('world', node)).length]);
        return seen;
      }, { timeoutMs: 60_000, everyMs: 1000 });
      phases.note('Consul server killed -> every server serves consistent reads', performance.now() - killed);
      // Every app task running now ran before the kill (tasks a returning node still reports are
      // shut down meanwhile), and Consul still has all 16 passing, whichever server is asked.
      const after = await swarm.tasks(['hello', 'world']);
      assert.deepEqual(after.filter((t) => !apps.includes(t)), [], 'no app task restarted or rescheduled');
      assert.deepEqual(counts, [[10, 6], [10, 6], [10, 6]]);
    });

    await phases.run('todo-api --target swarm, extended by add service and add backend: docker stack deploy accepts its stack file', [], async () => {
      const todo = join(work, 'td');
      await run(binary, ['new', 'todo-api', todo, '--target', 'swarm', '--vendor', '--yes']);
      await run(binary, ['add', 'service', 'greet', '--dir', todo, '--yes']);
      await run(binary, ['add', 'backend', 'cache', '--image', 'redis', '--service', 'greet', '--dir', todo, '--yes']);
      const services = Object.keys(parse(readFileSync(join(todo, 'docker-stack.yml'), 'utf8')).services);
      assert.deepEqual(services, ['consul', 'nginx', 'api', 'mongo', 'greet', 'cache']);
      // Its images are not built here: deploy accepts the file and creates every service.
      await swarm.docker(0, ['stack', 'deploy', '--resolve-image', 'never', '-c', join(todo, 'docker-stack.yml'), 'td'], { env: { ...process.env, DOCKER_HOST: hosts[0], REGISTRY: '', TAG: 'latest' } });
      const { stdout } = await swarm.docker(0, ['stack', 'services', 'td', '--format', '{{.Name}}']);
      assert.deepEqual(stdout.trim().split('\n').sort(), services.map((s) => `td_${s}`).sort());
      await swarm.docker(0, ['stack', 'rm', 'td']);
    });

    await phases.run('docker compose up of the same project on node1 (stack removed): the agents join the compose Consul, nginx serves /hello and /world', [], async () => {
      const compose = (args, opts = {}) => run('docker', ['compose', '--project-directory', project, '-p', STACK, ...args], { env: { ...process.env, DOCKER_HOST: hosts[0] }, timeoutMs: 180_000, ...opts });
      await swarm.docker(0, ['stack', 'rm', STACK]);
      await waitFor("the stack's containers gone from node1 (port 80 free)", async () => {
        const { stdout } = await swarm.docker(0, ['ps', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`]);
        return stdout.trim() === '' ? true : undefined;
      }, { timeoutMs: 120_000, everyMs: 1000 });
      // The images the stack ran are the ones Compose names <project>-<service>: nothing to build.
      try {
        await compose(['up', '-d', '--no-build']);
        for (const path of ['/hello', '/world']) {
          await waitFor(`nginx under compose serves ${path}`, async () => ((await ask(NODE_IPS[0], path, 3000)).ok ? true : undefined), { timeoutMs: 180_000, everyMs: 1000, describe: async () => `${JSON.stringify(await ask(NODE_IPS[0], path, 3000))}\n${(await compose(['logs', '--tail', '20'], { allowFail: true })).stdout}` });
        }
        const { stdout } = await compose(['exec', '-T', 'consul', 'consul', 'members']);
        for (const svc of ['nginx', 'hello', 'world']) {
          const { stdout: id } = await compose(['ps', '-q', svc]);
          assert.match(stdout, new RegExp(`^${id.trim().slice(0, 12)}\\s+\\S+\\s+alive\\s+client`, 'm'), `${svc}'s agent joined the compose Consul:\n${stdout}`);
        }
      } finally {
        await compose(['down', '-v', '--timeout', '20'], { allowFail: true });
      }
    });
    passed = true;
  } finally {
    const stopped = await phases.run('stop-swarm.sh: daemons, namespaces, bridge and mounts gone', [], async () => {
      await run('bash', [setup('stop-swarm.sh')], { timeoutMs: 120_000 });
      const left = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(' /run/autopilot-e2e-swarm/'));
      assert.deepEqual(left, [], 'no mount left under /run/autopilot-e2e-swarm');
    }).then(() => undefined, (err) => err);
    rmSync(work, { recursive: true, force: true });
    process.stderr.write(phases.table());
    // A failure of the drills is the one to report; otherwise the tear-down's own.
    if (passed && stopped) throw stopped;
  }
});
