/**
 * `when: { source: [...], once: "healthy", all: true }` under a real `autopilot run` against a
 * real Consul agent: an app that depends on two backends starts only once both are healthy, in
 * either order, and `validate` accepts the config without a warning.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { consulPut, startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { cli, eventually, runWithConfig, statusJson, type RunningSupervisor } from '../../testing/consul-run.js';
import { sleep, TempDir } from '../../testing/supervisor.js';

let agent: ConsulAgent;
const runs: Array<{ dir: TempDir; run: RunningSupervisor }> = [];

before(async () => {
  agent = await startConsulAgent();
});

after(async () => {
  for (const r of runs) {
    await r.run.cp.dispose();
    r.dir.dispose();
  }
  await agent?.stop();
});

/** An app gated on watch.<a> and watch.<b> with `all: true`, and a hook that proves watch.<a> was healthy. */
function start(a: string, b: string): { dir: TempDir; run: RunningSupervisor } {
  const dir = new TempDir();
  const run = runWithConfig(dir, (socket) => `{
  consul: "${agent.address}",
  control: { socket: "${socket}" },
  jobs: [
    { name: "app", exec: ["sh", "-c", "touch ${dir.path}/started; exec sleep 600"], when: { source: ["watch.${a}", "watch.${b}"], once: "healthy", all: true } },
    { name: "saw-${a}", exec: ["touch", "${dir.path}/saw-${a}"], when: { source: "watch.${a}", once: "healthy" } },
  ],
  watches: [ { name: "${a}", interval: 1 }, { name: "${b}", interval: 1 } ],
}
`);
  const r = { dir, run };
  runs.push(r);
  return r;
}

const register = (name: string) => consulPut(agent, '/v1/agent/service/register', { ID: `${name}-1`, Name: name, Address: '127.0.0.1', Port: 9100 });

for (const [first, second] of [['db', 'cache'], ['cache', 'db']] as const) {
  test(`all: true starts the app only once both backends are healthy (${first} first, then ${second})`, async () => {
    // Service names unique to this case, so the other case's registrations do not count here.
    const a = `${first}-${second}-a`;
    const b = `${first}-${second}-b`;
    const { dir, run } = start(a, b);
    const output = () => run.cp.output;
    await eventually('both watches listed', async () => (await statusJson(run.socket)).watches.length === 2, output);
    await register(a);
    await eventually(`watch.${a} healthy`, () => existsSync(`${dir.path}/saw-${a}`), output);
    // Several watch intervals with one backend healthy: the app must still wait.
    await sleep(2500);
    assert.equal(existsSync(`${dir.path}/started`), false, 'the app started with one of its two backends healthy');
    assert.equal((await statusJson(run.socket)).jobs.find((j) => j.name === 'app')?.runs ?? 0, 0);
    await register(b);
    await eventually('the app started', () => existsSync(`${dir.path}/started`), output);
    assert.equal((await statusJson(run.socket)).jobs.find((j) => j.name === 'app')?.state, 'running');
  });
}

test('validate accepts all: true, and refuses it with "each" or a signal, naming the field', async () => {
  const dir = new TempDir();
  try {
    const ok = dir.file('ok.json5', '{ consul: "localhost:8500", jobs: [ { name: "app", exec: "true", when: { source: ["watch.db", "watch.cache"], once: "healthy", all: true } } ], watches: [ { name: "db", interval: 5 }, { name: "cache", interval: 5 } ] }');
    const good = await cli(['validate', ok]);
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.stderr, '');
    const each = dir.file('each.json5', '{ consul: "localhost:8500", jobs: [ { name: "app", exec: "true", when: { source: ["watch.db"], each: "changed", all: true } } ], watches: [ { name: "db", interval: 5 } ] }');
    const bad = await cli(['validate', each]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /each\.json5: jobs\[0\] \("app"\)\.when\.all: works with "once" only/);
    const signal = dir.file('signal.json5', '{ consul: "localhost:8500", jobs: [ { name: "app", exec: "true", when: { source: ["SIGHUP", "watch.db"], once: "healthy", all: true } } ], watches: [ { name: "db", interval: 5 } ] }');
    const sig = await cli(['validate', signal]);
    assert.notEqual(sig.code, 0);
    assert.match(sig.stderr, /signal\.json5: jobs\[0\] \("app"\)\.when\.all: cannot wait for SIGHUP/);
  } finally {
    dir.dispose();
  }
});
