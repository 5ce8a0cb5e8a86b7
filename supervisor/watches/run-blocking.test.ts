/**
 * Watches under a real `autopilot run` against a real Consul agent use blocking queries: with an
 * `interval` of 120 s, every change still reaches the `changed` / `healthy` / `unhealthy` hook
 * jobs at once (long before one interval), for a service watch and for a KV watch.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { consulPut, consulRequest, startConsulAgent, type ConsulAgent } from '../../testing/consul-agent.js';
import { eventually, runWithConfig, statusJson, type RunningSupervisor } from '../../testing/consul-run.js';
import { TempDir } from '../../testing/supervisor.js';

let agent: ConsulAgent;
let dir: TempDir;
let run: RunningSupervisor;
const output = () => run.cp.output;
const events = () => dir.lines('events');
// Far above every wait below: an event seen in time came from a blocking query, not a poll.
const INTERVAL_S = 120;
const BOUND_MS = 20_000;

const hook = (name: string, source: string, each: string) =>
  `{ name: "${name}", exec: ["sh", "-c", "echo ${source}:${each} >> ${dir.path}/events"], when: { source: "${source}", each: "${each}" } }`;

before(async () => {
  agent = await startConsulAgent();
  dir = new TempDir();
  run = runWithConfig(dir, (socket) => `{
  consul: "${agent.address}",
  control: { socket: "${socket}" },
  jobs: [
    { name: "app", exec: ["sleep", "600"] },
    ${hook('svc-changed', 'watch.svc', 'changed')},
    ${hook('svc-healthy', 'watch.svc', 'healthy')},
    ${hook('svc-unhealthy', 'watch.svc', 'unhealthy')},
    ${hook('flags-changed', 'watch.flags', 'changed')},
  ],
  watches: [
    { name: "svc", interval: ${INTERVAL_S} },
    { name: "flags", kv: "app/flags", interval: ${INTERVAL_S} },
  ],
}
`);
  // Both watches have had their first (empty) answer: from here on they block.
  await eventually('the watches listed', async () => (await statusJson(run.socket)).watches.length === 2, output);
});

after(async () => {
  await run?.cp.dispose();
  await agent?.stop();
  dir?.dispose();
});

async function expectEvents(what: string, want: string[]): Promise<void> {
  await eventually(what, () => events().length >= want.length, output, BOUND_MS);
  // Hooks run concurrently: compare as sets of lines, then nothing more arrived.
  assert.deepEqual([...events()].sort(), [...want].sort());
}

test('service watch: registration, a second instance, deregistration reach the hooks without waiting for the interval', async () => {
  await consulPut(agent, '/v1/agent/service/register', { ID: 'svc-1', Name: 'svc', Address: '127.0.0.1', Port: 9001 });
  const first = ['watch.svc:changed', 'watch.svc:healthy'];
  await expectEvents('the first instance', first);
  await consulPut(agent, '/v1/agent/service/register', { ID: 'svc-2', Name: 'svc', Address: '127.0.0.1', Port: 9002 });
  const second = [...first, 'watch.svc:changed', 'watch.svc:healthy'];
  await expectEvents('the second instance', second);
  const s = await statusJson(run.socket);
  assert.deepEqual(s.watches.find((w) => w.name === 'svc')?.instances.map((i) => i.port).sort(), [9001, 9002]);
  await consulRequest(agent, 'PUT', '/v1/agent/service/deregister/svc-2');
  const third = [...second, 'watch.svc:changed', 'watch.svc:healthy'];
  await expectEvents('one instance gone', third);
  await consulRequest(agent, 'PUT', '/v1/agent/service/deregister/svc-1');
  await expectEvents('the last instance gone', [...third, 'watch.svc:changed', 'watch.svc:unhealthy']);
});

test('KV watch: a written key and a changed value each emit changed from watch.flags', async () => {
  const before = events().length;
  await consulPut(agent, '/v1/kv/app/flags', 'on');
  await eventually('the first value', () => events().length === before + 1, output, BOUND_MS);
  await consulPut(agent, '/v1/kv/app/flags', 'off');
  await eventually('the changed value', () => events().length === before + 2, output, BOUND_MS);
  assert.deepEqual(events().slice(before), ['watch.flags:changed', 'watch.flags:changed']);
});
