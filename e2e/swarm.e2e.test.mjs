// The multi-host ground the swarm blueprints stand on: three real dockerd (Debian's docker.io),
// each in a network namespace of its own, joined as three swarm managers (setup/start-swarm.sh).
// A service spread over the three nodes on an overlay network (VXLAN between the namespaces,
// `endpoint_mode: dnsrr` since this kernel has no IPVS) answers across nodes; then a node is cut
// off its network: raft keeps a leader, swarm marks the node down and reschedules its task on
// the survivors, and the service answers from three containers again. Every phase is timed.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Phases } from './lib/phases.mjs';
import { run, waitFor } from './lib/sh.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const setup = (name) => join(here, 'setup', name);
const DOCKER = '/usr/bin/docker';
const IMAGE = 'node:20-bookworm-slim'; // the stand-in build-base-images.sh makes
// Answers every connection with the name of the node its container runs on.
const SERVER = "require('node:http').createServer((q, s) => s.end(process.env.NODE_NAME)).listen(8080)";
// Run in a task container: asks every address of tasks.echo, prints `ip node` lines.
const PROBE = "const dns = require('node:dns').promises; (async () => { for (const { address } of await dns.lookup('tasks.echo', { all: true, family: 4 })) { const r = await fetch(`http://${address}:8080/`, { signal: AbortSignal.timeout(2000) }).then((x) => x.text(), (e) => `FAIL ${e.message}`); console.log(address, r); } })()";

test('a three-node swarm: an overlay service answers across nodes, and survives losing a node', { timeout: 20 * 60_000 }, async () => {
  const phases = new Phases({ logsFor: async () => '' });
  let nodes = [];
  const on = (i, args, opts = {}) => run(DOCKER, args, { env: { ...process.env, DOCKER_HOST: nodes[i] }, timeoutMs: 60_000, ...opts });
  const nodeList = async () => JSON.parse(`[${(await on(0, ['node', 'ls', '--format', '{{json .}}'])).stdout.trim().split('\n').join(',')}]`);
  const runningTasks = async () => (await on(0, ['service', 'ps', 'echo', '--filter', 'desired-state=running', '--format', '{{.Node}} {{.CurrentState}}'])).stdout.trim().split('\n').filter((l) => / Running /.test(` ${l} `));
  async function probe() {
    const { stdout } = await on(0, ['ps', '-q', '--filter', 'label=com.docker.swarm.service.name=echo']);
    const local = stdout.trim().split('\n')[0];
    if (!local) return [];
    return (await on(0, ['exec', local, 'node', '-e', PROBE])).stdout.trim().split('\n');
  }
  try {
    nodes = await phases.run('start-swarm.sh: three dockerd in three namespaces, three managers', [], async () => {
      const { stdout } = await run('bash', [setup('start-swarm.sh')], { timeoutMs: 5 * 60_000 });
      return stdout.trim().split('\n').filter((l) => l.startsWith('DOCKER_HOST=')).map((l) => l.slice('DOCKER_HOST='.length));
    });
    assert.equal(nodes.length, 3);
    const list = await nodeList();
    assert.deepEqual(list.map((n) => [n.Hostname, n.Status]).sort(), [['node1', 'Ready'], ['node2', 'Ready'], ['node3', 'Ready']]);
    assert.deepEqual(list.map((n) => n.ManagerStatus).sort(), ['Leader', 'Reachable', 'Reachable']);

    await phases.run(`stand-in ${IMAGE} on every node (no registry: imported)`, [], async () => {
      for (const host of nodes) await run('bash', [setup('build-base-images.sh')], { env: { ...process.env, DOCKER_HOST: host }, timeoutMs: 15 * 60_000 });
    });

    await phases.run('overlay network, a 3-replica dnsrr service spread over the nodes', [], async () => {
      await on(0, ['network', 'create', '--driver', 'overlay', 'apnet']);
      await on(0, ['service', 'create', '--detach', '--name', 'echo', '--replicas', '3', '--endpoint-mode', 'dnsrr', '--network', 'apnet', '--no-resolve-image',
        '--env', 'NODE_NAME={{.Node.Hostname}}', '--stop-grace-period', '2s', IMAGE, 'node', '-e', SERVER]);
      const tasks = await waitFor('3 echo tasks running', async () => ((await runningTasks()).length === 3 ? runningTasks() : undefined), { timeoutMs: 120_000, describe: async () => (await on(0, ['service', 'ps', 'echo', '--no-trunc'])).stdout });
      assert.deepEqual(tasks.map((t) => t.split(' ')[0]).sort(), ['node1', 'node2', 'node3'], 'one task per node');
    });

    await phases.run('from a container on node1, every task answers through the overlay', [], async () => {
      const answers = await waitFor('3 answers', async () => {
        const lines = await probe();
        return lines.length === 3 && lines.every((l) => !l.includes('FAIL')) ? lines : undefined;
      }, { timeoutMs: 60_000, describe: async () => (await probe()).join('; ') });
      assert.deepEqual(answers.map((l) => l.split(' ')[1]).sort(), ['node1', 'node2', 'node3']);
    });

    await phases.run('node3 cut off: raft keeps a leader, node3 goes down, its task moves to a survivor', [], async () => {
      await run('ip', ['link', 'set', 'apsw3-h', 'down']);
      const started = performance.now();
      await waitFor('node3 Down', async () => ((await nodeList()).find((n) => n.Hostname === 'node3')?.Status === 'Down' ? true : undefined), { timeoutMs: 60_000 });
      phases.note('node3 cut off -> Down in swarm', performance.now() - started);
      assert.ok((await nodeList()).some((n) => n.ManagerStatus === 'Leader'), 'a leader remains');
      const tasks = await waitFor('3 echo tasks running on node1 and node2', async () => {
        const t = await runningTasks();
        return t.length === 3 && t.every((l) => !l.startsWith('node3 ')) ? t : undefined;
      }, { timeoutMs: 120_000, describe: async () => (await runningTasks()).join('; ') });
      phases.note('node3 cut off -> its task running elsewhere', performance.now() - started);
      assert.equal(tasks.length, 3);
      const answers = await waitFor('3 answers from node1 and node2', async () => {
        const lines = await probe();
        return lines.length === 3 && lines.every((l) => / node[12]$/.test(l)) ? lines : undefined;
      }, { timeoutMs: 60_000, describe: async () => (await probe()).join('; ') });
      assert.equal(answers.length, 3);
    });

    await phases.run('node3 back: it rejoins as a reachable manager', [], async () => {
      await run('ip', ['link', 'set', 'apsw3-h', 'up']);
      await waitFor('node3 Ready', async () => ((await nodeList()).find((n) => n.Hostname === 'node3')?.Status === 'Ready' ? true : undefined), { timeoutMs: 60_000 });
    });
  } finally {
    await phases.run('stop-swarm.sh', [], () => run('bash', [setup('stop-swarm.sh')], { timeoutMs: 120_000 })).catch(() => {});
    process.stderr.write(phases.table());
  }
});
