/**
 * Maintenance through the control socket and a failing health check, under a real
 * `autopilot run` against a real Consul agent.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { agentChecks, agentServices, cli, eventually, runWithConfig, statusJson, type RunningSupervisor } from '../../testing/consul-run.js';
import { sleep, TempDir } from '../../testing/supervisor.js';

let agent: ConsulAgent;
let dir: TempDir;
let run: RunningSupervisor;
const output = () => run.cp.output;
const id = (job: string) => `${job}-${hostname()}`;
const checkOf = async (job: string) => (await agentChecks(agent))[`service:${id(job)}`];

before(async () => {
  agent = await startConsulAgent();
  dir = new TempDir();
  run = runWithConfig(dir, (socket) => `{
  consul: "${agent.address}",
  control: { socket: "${socket}" },
  jobs: [
    { name: "app", exec: ["sleep", "600"], port: 8000, interfaces: ["static:127.0.0.1"],
      health: { exec: ["sh", "-c", "echo run >> ${dir.path}/app-checks"], interval: 1, ttl: 5 } },
    { name: "flaky", exec: ["sleep", "600"], port: 8001, interfaces: ["static:127.0.0.1"],
      health: { exec: ["sh", "-c", "test ! -e ${dir.path}/fail"], interval: 1, ttl: 2 } },
    { name: "on-enter", exec: ["sh", "-c", "echo enter >> ${dir.path}/maintenance"], when: { source: "global", each: "enterMaintenance" } },
    { name: "on-exit", exec: ["sh", "-c", "echo exit >> ${dir.path}/maintenance"], when: { source: "global", each: "exitMaintenance" } },
  ],
}
`);
});

after(async () => {
  await run?.cp.dispose();
  await agent?.stop();
  dir?.dispose();
});

test('a failing health check sends nothing: Consul turns the check critical when the TTL runs out', async () => {
  await eventually('flaky passing', async () => (await checkOf('flaky'))?.Status === 'passing', output);
  dir.file('fail', '');
  const critical = await eventually('flaky critical', async () => {
    const c = await checkOf('flaky');
    return c?.Status === 'critical' ? c : undefined;
  }, output);
  // Consul's own text for an expired TTL: the supervisor did not fail the check itself.
  assert.match(critical.Output, /TTL expired/);
  const s = await statusJson(run.socket);
  assert.equal(s.jobs.find((j) => j.name === 'flaky')?.health, 'unhealthy');
  assert.ok((await agentServices(agent))[id('flaky')], 'still registered, only critical');
  rmSync(join(dir.path, 'fail'));
  await eventually('flaky passing again', async () => (await checkOf('flaky'))?.Status === 'passing', output);
});

test('autopilot ctl maintenance enable deregisters from Consul; disable (-maintenance) registers again; both idempotent', async () => {
  await eventually('app passing', async () => (await checkOf('app'))?.Status === 'passing', output);
  const pidBefore = (await statusJson(run.socket)).jobs.find((j) => j.name === 'app')?.pid;

  for (let i = 0; i < 2; i++) {
    const r = await cli(['ctl', 'maintenance', 'enable', '--socket', run.socket]);
    assert.equal(r.code, 0, r.stderr);
  }
  await eventually('every service deregistered', async () => {
    const all = await agentServices(agent);
    return !all[id('app')] && !all[id('flaky')];
  }, output);
  const s = await statusJson(run.socket);
  assert.equal(s.maintenance, true);
  await eventually('the enterMaintenance job ran', () => dir.lines('maintenance').length === 1, output);
  // Checks (and so heartbeats) are paused: nothing comes back while in maintenance.
  const checksAtEnable = dir.lines('app-checks').length;
  await sleep(2_500);
  assert.equal((await agentServices(agent))[id('app')], undefined, 'no heartbeat during maintenance');
  // At most the one check that was already running when maintenance began.
  assert.ok(dir.lines('app-checks').length <= checksAtEnable + 1, 'health checks paused');
  assert.deepEqual(dir.lines('maintenance'), ['enter'], 'a second enable emits nothing');

  for (let i = 0; i < 2; i++) {
    const r = await cli(['-config', run.config, '-maintenance', 'disable']);
    assert.equal(r.code, 0, r.stderr);
  }
  await eventually('app registered and passing again', async () => (await checkOf('app'))?.Status === 'passing', output);
  await eventually('flaky registered again', async () => (await agentServices(agent))[id('flaky')] !== undefined, output);
  await eventually('the exitMaintenance job ran', () => dir.lines('maintenance').length === 2, output);
  assert.equal((await statusJson(run.socket)).maintenance, false);
  await sleep(500);
  assert.deepEqual(dir.lines('maintenance'), ['enter', 'exit'], 'a second disable emits nothing');
  const app = (await statusJson(run.socket)).jobs.find((j) => j.name === 'app');
  assert.equal(app?.pid, pidBefore, 'maintenance never touches the process');
  assert.equal(app?.runs, 1);
});
