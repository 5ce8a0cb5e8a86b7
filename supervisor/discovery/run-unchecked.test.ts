/**
 * Services without a health check, under a real `autopilot run` and a real Consul agent, as
 * ContainerPilot runs them: a 3.x `health` block with no check is heartbeated every interval
 * (ContainerPilot 3.8's non-checked advertised service), and a 2.x service without `health` is
 * always passing, as in 2.x.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, test } from 'node:test';
import { startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { agentChecks, eventually, runWithConfig } from '../../testing/consul-run.js';
import { TempDir } from '../../testing/supervisor.js';

let agent: ConsulAgent;
const cleanups: Array<() => Promise<void>> = [];

before(async () => {
  agent = await startConsulAgent();
});
after(async () => {
  for (const c of cleanups) await c();
  await agent?.stop();
});

function start(text: (socket: string) => string) {
  const dir = new TempDir();
  const run = runWithConfig(dir, text);
  cleanups.push(async () => {
    await run.cp.dispose();
    dir.dispose();
  });
  return run;
}

test('3.x: a health block without a check is passing in Consul, with no healthy events and a warning', async () => {
  const run = start((socket) => `{ consul: "${agent.address}", control: { socket: "${socket}" }, logging: { level: "DEBUG" },
    jobs: [{ name: "unchecked", exec: "sleep 60", port: 8301, health: { interval: 1, ttl: 3 } }] }`);
  await eventually('unchecked passing', async () => (await agentChecks(agent))[`service:unchecked-${hostname()}`]?.Status === 'passing', () => run.cp.output);
  // Still passing after more than one TTL: it is heartbeated, not registered once.
  await new Promise((r) => setTimeout(r, 3_500));
  assert.equal((await agentChecks(agent))[`service:unchecked-${hostname()}`]?.Status, 'passing', run.cp.output);
  assert.match(run.cp.output, /jobs\[0\] \("unchecked"\)\.health: has no check/);
  assert.doesNotMatch(run.cp.output, /event: \{StatusHealthy unchecked\}|check\.unchecked/);
});

test('2.x: a service without "health" is always passing, without a warning', async () => {
  const run = start((socket) => JSON.stringify({ consul: agent.address, control: { socket }, services: [{ name: 'legacy', port: 8302, poll: 1, ttl: 3 }], coprocesses: [{ command: ['sleep', '60'] }] }));
  await eventually('legacy passing', async () => (await agentChecks(agent))[`service:legacy-${hostname()}`]?.Status === 'passing', () => run.cp.output);
  assert.doesNotMatch(run.cp.output, /has no check/);
});
