// The npm `consul` client (v2, promise API) against the real agent: the calls discovery code
// relies on, written the way that works (see testing/README.md for the pitfalls).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import Consul from 'consul';
import { startConsulAgent, type ConsulAgent, type HealthServiceEntry } from './consul-agent.js';

let agent: ConsulAgent;
let consul: Consul;

before(async () => {
  agent = await startConsulAgent();
  consul = new Consul({ host: '127.0.0.1', port: agent.ports.http });
});

after(async () => {
  // The client keeps a keep-alive http.Agent: without destroy() open sockets hold the process.
  consul?.destroy();
  await agent?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A health.service call that also yields X-Consul-Index (the typings do not know these options). */
async function healthWithIndex(
  query: { service: string; passing?: boolean; index?: string; wait?: string; timeout?: number },
): Promise<{ index: string; entries: HealthServiceEntry[] }> {
  // `includeResponse` on an EventEmitter ctx makes the promise resolve to [response, body].
  const ctx = Object.assign(new EventEmitter(), { includeResponse: true });
  const options: { service: string } = { ...query, ...{ ctx } };
  const [res, body] = (await consul.health.service(options)) as [IncomingMessage, HealthServiceEntry[]];
  const index = res.headers['x-consul-index'];
  assert.equal(typeof index, 'string');
  return { index: index as string, entries: body };
}

test('agent.service.register and agent.check.pass reach the catalog', async () => {
  await consul.agent.service.register({
    name: 'api',
    id: 'api-1',
    address: '127.0.0.1',
    port: 3000,
    tags: ['v1'],
    // The typings demand `timeout` on every check; Consul ignores it for TTL checks.
    check: { name: 'api ttl', checkid: 'api-1-ttl', ttl: '30s', timeout: '1s' },
  });
  let entries: HealthServiceEntry[] = [];
  for (let i = 0; i < 100 && entries.length === 0; i++) {
    entries = (await consul.health.service('api')) as HealthServiceEntry[];
    if (entries.length === 0) await sleep(100);
  }
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.Service.ID, 'api-1');
  assert.deepEqual(entries[0]?.Service.Tags, ['v1']);
  assert.equal(entries[0]?.Checks.find((c) => c.CheckID === 'api-1-ttl')?.Status, 'critical');

  await consul.agent.check.pass('api-1-ttl');
  let passing: HealthServiceEntry[] = [];
  for (let i = 0; i < 100 && passing.length === 0; i++) {
    passing = (await consul.health.service({ service: 'api', passing: true })) as HealthServiceEntry[];
    if (passing.length === 0) await sleep(100);
  }
  assert.equal(passing[0]?.Service.ID, 'api-1');
});

test('health.service blocking query: index + wait returns the change it was waiting for', async () => {
  await consul.agent.service.register({
    name: 'db',
    id: 'db-1',
    port: 27017,
    check: { name: 'db ttl', checkid: 'db-1-ttl', ttl: '30s', timeout: '1s' },
  });
  // Wait for the registration to reach the catalog, so nothing else moves db's index.
  let all: HealthServiceEntry[] = [];
  for (let i = 0; i < 100 && all.length === 0; i++) {
    all = (await consul.health.service('db')) as HealthServiceEntry[];
    if (all.length === 0) await sleep(100);
  }
  assert.equal(all.length, 1);
  const first = await healthWithIndex({ service: 'db', passing: true });
  assert.deepEqual(first.entries, []);

  // With the current index the server holds the request until db changes (or 20 s pass).
  let settled = false;
  const blocked = healthWithIndex({ service: 'db', passing: true, index: first.index, wait: '20s', timeout: 25_000 });
  void blocked.finally(() => (settled = true)).catch(() => undefined);
  await sleep(500);
  assert.equal(settled, false, 'the blocking query is still waiting while nothing changed');
  await consul.agent.check.pass('db-1-ttl');
  let next = await blocked;
  // Should some other write wake it first, keep following the index (bounded).
  for (let i = 0; i < 5 && next.entries.length === 0; i++) {
    next = await healthWithIndex({ service: 'db', passing: true, index: next.index, wait: '20s', timeout: 25_000 });
  }
  assert.equal(next.entries.length, 1);
  assert.equal(next.entries[0]?.Service.ID, 'db-1');
  assert.ok(BigInt(next.index) > BigInt(first.index), `index ${next.index} after ${first.index}`);
});

test('kv.set / kv.get / kv.keys / kv.del round-trip strings', async () => {
  assert.equal(await consul.kv.set('app/flags', '{"beta":true}'), true);
  assert.equal(await consul.kv.set({ key: 'app/name', value: 'autopilot' }), true);
  const item = await consul.kv.get('app/flags');
  assert.equal(item?.Key, 'app/flags');
  assert.equal(item?.Value, '{"beta":true}', 'Value comes back decoded from base64');
  assert.deepEqual((await consul.kv.keys('app/')).sort(), ['app/flags', 'app/name']);
  assert.equal(await consul.kv.get('app/missing'), undefined, 'a missing key resolves to undefined');
  assert.equal(await consul.kv.del('app/flags'), true);
  assert.equal(await consul.kv.get('app/flags'), undefined);
});

test('a stopped agent makes calls reject with a connection error', async () => {
  const other = await startConsulAgent();
  const client = new Consul({ host: '127.0.0.1', port: other.ports.http });
  try {
    assert.equal(await client.status.leader(), `127.0.0.1:${other.ports.server}`);
    await other.stop();
    // A new client: one from before the stop may reuse its keep-alive socket before it notices the
    // close, and die with "socket hang up" on it instead of being refused.
    const after = new Consul({ host: '127.0.0.1', port: other.ports.http });
    try {
      await assert.rejects(after.status.leader(), /ECONNREFUSED/);
    } finally {
      after.destroy();
    }
  } finally {
    client.destroy();
    await other.stop();
  }
});
