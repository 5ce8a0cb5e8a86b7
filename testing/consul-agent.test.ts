import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  consulGet,
  consulPut,
  consulRequest,
  startConsulAgent,
  type ConsulAgent,
  type HealthServiceEntry,
} from './consul-agent.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value (bounded: the catalog syncs asynchronously). */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 150; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

async function registerWeb(agent: ConsulAgent, id: string): Promise<void> {
  await consulPut(agent, '/v1/agent/service/register', {
    ID: id,
    Name: 'web',
    Address: '127.0.0.1',
    Port: 8080,
    Tags: ['blue'],
    Check: { CheckID: `${id}-ttl`, Name: 'web ttl', TTL: '30s' },
  });
}

const healthOf = (agent: ConsulAgent, query = '') =>
  consulGet<HealthServiceEntry[]>(agent, `/v1/health/service/web${query}`);

test('registers a service with a TTL check, passes it, keeps it across a restart, forgets it after a wipe', async () => {
  const agent = await startConsulAgent();
  try {
    assert.match(agent.address, /^127\.0\.0\.1:\d+$/);
    assert.equal(agent.httpUrl, `http://${agent.address}`);
    const leader = await consulGet<string>(agent, '/v1/status/leader');
    assert.equal(leader, `127.0.0.1:${agent.ports.server}`);

    await registerWeb(agent, 'web-1');
    const critical = await eventually('web-1 in the catalog', async () => {
      const entries = await healthOf(agent);
      return entries.length === 1 ? entries[0] : undefined;
    });
    assert.equal(critical.Service.ID, 'web-1');
    assert.equal(critical.Service.Port, 8080);
    assert.deepEqual(critical.Service.Tags, ['blue']);
    assert.equal(critical.Checks.find((c) => c.CheckID === 'web-1-ttl')?.Status, 'critical');
    assert.deepEqual(await healthOf(agent, '?passing=true'), []);

    await consulPut(agent, '/v1/agent/check/pass/web-1-ttl');
    const passing = await eventually('web-1 passing', async () => {
      const entries = await healthOf(agent, '?passing=true');
      return entries.length === 1 ? entries : undefined;
    });
    assert.equal(passing[0]?.Service.ID, 'web-1');

    const portsBefore = { ...agent.ports };
    await agent.restart();
    assert.deepEqual(agent.ports, portsBefore);
    const kept = await eventually('web-1 after restart', async () => {
      const entries = await healthOf(agent);
      return entries.length === 1 ? entries : undefined;
    });
    assert.equal(kept[0]?.Service.ID, 'web-1');

    await agent.restart({ wipe: true });
    assert.deepEqual(agent.ports, portsBefore);
    assert.deepEqual(await healthOf(agent), []);
    assert.deepEqual(await consulGet(agent, '/v1/agent/services'), {});
    const services = await consulGet<Record<string, string[]>>(agent, '/v1/catalog/services');
    assert.deepEqual(Object.keys(services), ['consul']);
  } finally {
    await agent.stop();
  }
  await assert.rejects(consulGet(agent, '/v1/status/leader'), 'the agent no longer answers once stopped');
});

test('two agents run side by side on their own ports with their own catalogs', async () => {
  const [a, b] = await Promise.all([startConsulAgent(), startConsulAgent()]);
  try {
    const portsA = Object.values(a.ports);
    for (const port of Object.values(b.ports)) assert.ok(!portsA.includes(port), `port ${port} is shared`);
    assert.notEqual(a.nodeName, b.nodeName);

    await registerWeb(a, 'web-a');
    await eventually('web-a on agent a', async () => ((await healthOf(a)).length === 1 ? true : undefined));
    assert.deepEqual(await healthOf(b), []);

    await consulPut(b, '/v1/kv/only/on/b', 'b-value');
    const raw = await consulRequest<string>(b, 'GET', '/v1/kv/only/on/b?raw');
    assert.equal(raw.body, 'b-value');
    await assert.rejects(consulGet(a, '/v1/kv/only/on/b'), /HTTP 404/);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test('pause makes the agent unresponsive until resume', async () => {
  const agent = await startConsulAgent();
  try {
    agent.pause();
    await assert.rejects(consulRequest(agent, 'GET', '/v1/status/leader', undefined, 300));
    agent.resume();
    assert.equal(await consulGet<string>(agent, '/v1/status/leader'), `127.0.0.1:${agent.ports.server}`);
    agent.pause();
  } finally {
    // stop() must also work on a paused agent.
    await agent.stop();
  }
});
