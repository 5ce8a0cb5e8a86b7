// Registration, heartbeats, re-registration, maintenance and reload against a real Consul agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consulDiscoveryHarness, spec, TOKEN, type HealthCheck } from '../../testing/discovery-harness.js';

const h = consulDiscoveryHarness();
const { lines, base, get, services, checks, discovery } = h;

test('registration fields as Consul shows them', async () => {
  const d = discovery();
  const svc = d.addService('web', spec(8080, { initialStatus: 'warning', enableTagOverride: true, deregisterCriticalServiceAfter: '10m' }));
  assert.equal(await svc.register(), true);

  const s = (await services())['web-testhost'];
  assert.ok(s, 'service web-testhost registered');
  assert.equal(s.Service, 'web');
  assert.equal(s.Address, '10.1.2.3');
  assert.equal(s.Port, 8080);
  assert.deepEqual(s.Tags, ['a', 'b']);
  assert.equal(s.EnableTagOverride, true);

  const health = await get<HealthCheck[]>('/v1/health/checks/web');
  assert.equal(health.length, 1);
  assert.equal(health[0]?.CheckID, 'service:web-testhost');
  assert.equal(health[0]?.ServiceID, 'web-testhost');
  assert.equal(health[0]?.Name, "Service 'web' check");
  assert.equal(health[0]?.Status, 'warning', 'initial status');

  // The HTTP API does not echo DeregisterCriticalServiceAfter; the agent's persisted check does.
  const persisted = readdirSync(join(h.agent.dataDir, 'checks'))
    .map((f) => JSON.parse(readFileSync(join(h.agent.dataDir, 'checks', f), 'utf8')) as { ChkType?: { CheckID?: string; TTL?: number; DeregisterCriticalServiceAfter?: number } })
    .find((c) => c.ChkType?.CheckID === 'service:web-testhost');
  assert.equal(persisted?.ChkType?.DeregisterCriticalServiceAfter, 600e9, '10m in nanoseconds');
  assert.equal(persisted?.ChkType?.TTL, 30e9, 'TTL 30s in nanoseconds');
  // CONSUL_HTTP_TOKEN reached Consul (it keeps the registering token beside the service).
  const persistedService = readdirSync(join(h.agent.dataDir, 'services'))
    .map((f) => JSON.parse(readFileSync(join(h.agent.dataDir, 'services', f), 'utf8')) as { Service?: { ID?: string }; Token?: string })
    .find((p) => p.Service?.ID === 'web-testhost');
  assert.equal(persistedService?.Token, TOKEN);

  await svc.pass('all good');
  let c = (await checks())['service:web-testhost'];
  assert.equal(c?.Status, 'passing');
  assert.equal(c?.Output, 'all good');

  await svc.fail('broken');
  c = (await checks())['service:web-testhost'];
  assert.equal(c?.Status, 'critical');
  assert.equal(c?.Output, 'broken');

  await svc.deregister();
  assert.equal((await services())['web-testhost'], undefined);
  assert.equal((await checks())['service:web-testhost'], undefined);
  await d.close();
});

test('without initial_status the check starts critical; the first pass registers if needed', async () => {
  const d = discovery();
  const svc = d.addService('api', spec(9000));
  await svc.pass();
  assert.equal((await checks())['service:api-testhost']?.Status, 'passing');
  await svc.deregister();
  assert.equal(await svc.register(), true);
  assert.equal((await checks())['service:api-testhost']?.Status, 'critical');
  await d.close();
  assert.equal((await services())['api-testhost'], undefined, 'close() deregisters');
});

test('a service lost by Consul is registered again at the next heartbeat', async () => {
  const d = discovery();
  const svc = d.addService('db', spec(5432));
  await svc.register();
  await svc.pass();
  // Removed behind our back (as an operator or a wiped agent would).
  const res = await fetch(`${base()}/v1/agent/service/deregister/db-testhost`, { method: 'PUT' });
  assert.equal(res.status, 200);
  assert.equal((await services())['db-testhost'], undefined);
  await svc.pass('back');
  assert.equal((await services())['db-testhost']?.Address, '10.1.2.3');
  const c = (await checks())['service:db-testhost'];
  assert.equal(c?.Status, 'passing');
  assert.equal(c?.Output, 'back');
  assert.ok(lines.some((l) => l.includes('db-testhost is unknown to Consul')), 'the loss is logged');
  await d.close();
});

test('maintenance deregisters everything, pauses heartbeats, and is idempotent', async () => {
  const d = discovery();
  const a = d.addService('m1', spec(1001));
  const b = d.addService('m2', spec(1002));
  await a.pass();
  await b.pass();
  assert.equal(await d.setMaintenance(true), true);
  assert.equal(await d.setMaintenance(true), false, 'already in maintenance');
  let all = await services();
  assert.equal(all['m1-testhost'], undefined);
  assert.equal(all['m2-testhost'], undefined);
  await a.pass();
  assert.equal((await services())['m1-testhost'], undefined, 'no heartbeat during maintenance');
  assert.equal(await d.setMaintenance(false), true);
  assert.equal(await d.setMaintenance(false), false);
  all = await services();
  assert.ok(all['m1-testhost'] && all['m2-testhost'], 'registered again');
  await a.pass();
  assert.equal((await checks())['service:m1-testhost']?.Status, 'passing');
  await d.close();
});

test('a stopped service stays out after maintenance; deregistering an unknown service is quiet', async () => {
  const d = discovery();
  const running = d.addService('mr', spec(1101));
  const stopped = d.addService('ms', spec(1102));
  await running.pass();
  await stopped.pass();
  await stopped.deregister();
  const before = lines.length;
  await stopped.deregister(); // Consul no longer knows it: nothing to report
  assert.equal(await d.setMaintenance(true), true);
  assert.equal(await d.setMaintenance(false), true);
  const all = await services();
  assert.ok(all['mr-testhost'], 'the running service is back');
  assert.equal(all['ms-testhost'], undefined, 'the stopped one stays out');
  assert.deepEqual(lines.slice(before).filter((l) => l.startsWith('warn:')), []);
  await d.close();
});

test('reload: an unchanged service is kept, a changed one replaces it, a removed one goes', async () => {
  const d = discovery();
  const first = d.addService('reload', spec(3000));
  await first.pass();
  assert.equal(d.addService('reload', spec(3000)), first, 'same definition: same registration');
  const second = d.addService('reload', spec(3001, { tags: ['v2'] }));
  assert.notEqual(second, first);
  await second.pass();
  const s = (await services())['reload-testhost'];
  assert.equal(s?.Port, 3001);
  assert.deepEqual(s?.Tags, ['v2']);
  assert.equal((await checks())['service:reload-testhost']?.Status, 'passing');
  await first.pass(); // the replaced registration is closed: no effect
  assert.equal((await services())['reload-testhost']?.Port, 3001);
  await d.removeService('reload');
  assert.equal((await services())['reload-testhost'], undefined);
  await d.close();
});
