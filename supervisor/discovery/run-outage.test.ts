/**
 * Consul faults under a real `autopilot run` (a service job with a health check, a watch and a
 * watch-hook job) against a real Consul agent: the agent restarted with an empty catalog, then
 * stopped for 30 s and started again empty. The application job is never stopped or restarted
 * (same pid, one run, per `autopilot status --json`), and registration and watch events come
 * back within two heartbeats, counted as health-check runs (each passing check is one TTL
 * heartbeat), not measured in time.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, test } from 'node:test';
import { consulPut, startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { agentChecks, agentServices, eventually, runWithConfig, statusJson, type RunningSupervisor } from '../../testing/consul-run.js';
import { sleep, TempDir } from '../../testing/supervisor.js';

const OUTAGE_MS = 30_000;
const checkId = `service:app-${hostname()}`;

let agent: ConsulAgent;
let dir: TempDir;
let run: RunningSupervisor;

const checkRuns = () => dir.lines('checks').length;
const changes = () => dir.lines('changes').length;
const output = () => run.cp.output;

async function registerPeer(port: number): Promise<void> {
  await consulPut(agent, '/v1/agent/service/register', { ID: 'peer-1', Name: 'peer', Address: '127.0.0.1', Port: port });
}

async function appJob() {
  const s = await statusJson(run.socket);
  const app = s.jobs.find((j) => j.name === 'app');
  assert.ok(app, JSON.stringify(s));
  return { app, status: s };
}

async function passing(): Promise<boolean> {
  return (await agentChecks(agent))[checkId]?.Status === 'passing';
}

/** After the agent came back: registered and passing within two more health-check runs. */
async function registeredWithinTwoHeartbeats(what: string): Promise<void> {
  const runsAtReturn = checkRuns();
  await eventually(`${what}: app registered and passing again`, passing, output);
  const heartbeats = checkRuns() - runsAtReturn;
  // One check may have been running as the agent came back; two full heartbeats after it.
  assert.ok(heartbeats <= 3, `${what}: passing only after ${heartbeats} health checks`);
  const svc = (await agentServices(agent))[`app-${hostname()}`];
  assert.equal(svc?.Port, 8000);
  assert.equal(svc?.Address, '127.0.0.1');
}

/** The watch sees a new peer port: the hook job fires and status lists the instance. */
async function watchSeesPeer(port: number, what: string): Promise<void> {
  const before = changes();
  await registerPeer(port);
  await eventually(`${what}: the watch hook fired for peer port ${port}`, () => changes() > before, output);
  await eventually(`${what}: status shows peer port ${port}`, async () => {
    const s = await statusJson(run.socket);
    return s.watches.find((w) => w.name === 'peer')?.instances.some((i) => i.port === port);
  }, output);
}

before(async () => {
  agent = await startConsulAgent();
  dir = new TempDir();
  run = runWithConfig(dir, (socket) => `{
  consul: "${agent.address}",
  logging: { level: "INFO" },
  control: { socket: "${socket}" },
  jobs: [
    {
      name: "app",
      exec: ["sleep", "600"],
      port: 8000,
      interfaces: ["static:127.0.0.1"],
      health: { exec: ["sh", "-c", "echo run >> ${dir.path}/checks"], interval: 1, ttl: 5 },
    },
    {
      name: "on-peer",
      exec: ["sh", "-c", "echo changed >> ${dir.path}/changes"],
      when: { source: "watch.peer", each: "changed" },
    },
  ],
  watches: [{ name: "peer", interval: 2 }],
}
`);
  await registerPeer(9001);
});

after(async () => {
  await run?.cp.dispose();
  await agent?.stop();
  dir?.dispose();
});

test('steady state: app passing in Consul, the watch hook fired for the peer', async () => {
  await eventually('app passing', passing, output);
  await eventually('the peer seen by the watch hook', () => changes() >= 1, output);
  const { app } = await appJob();
  assert.equal(app.runs, 1);
  assert.equal(app.state, 'running');
});

test('agent restarted with an empty catalog: registered again at the next heartbeats, watching again', async () => {
  const { app: before } = await appJob();
  await agent.restart({ wipe: true });
  await registeredWithinTwoHeartbeats('after the wiped restart');
  await watchSeesPeer(9002, 'after the wiped restart');
  const { app } = await appJob();
  assert.equal(app.pid, before.pid, 'the app kept its process');
  assert.equal(app.runs, 1);
  assert.equal(app.restarts, 0);
});

test('agent down for 30 s, then back empty: the app is untouched, everything returns within two heartbeats', { timeout: 55_000 }, async () => {
  const { app: before } = await appJob();
  const runsBefore = checkRuns();
  await agent.down();
  await sleep(OUTAGE_MS / 2);
  // Mid-outage: the supervisor answers, the app runs on, health checks keep running.
  const { app: mid, status } = await appJob();
  assert.equal(mid.pid, before.pid);
  assert.equal(mid.state, 'running');
  assert.equal(status.maintenance, false);
  await sleep(OUTAGE_MS / 2);
  assert.ok(checkRuns() > runsBefore + 5, 'health checks ran during the outage');
  const { app: late } = await appJob();
  assert.equal(late.pid, before.pid);

  await agent.up({ wipe: true });
  await registeredWithinTwoHeartbeats('after the outage');
  await watchSeesPeer(9003, 'after the outage');

  const { app } = await appJob();
  assert.equal(app.pid, before.pid, 'the app kept its process through the outage');
  assert.equal(app.runs, 1, 'the app was never restarted');
  assert.equal(app.restarts, 0);
  assert.equal(run.cp.child.exitCode, null, 'the supervisor is still running');
  // The outage is reported, sparingly, and so is the recovery.
  assert.match(output(), /Consul reachable again/);
});
