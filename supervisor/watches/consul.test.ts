// Service and KV watches against a real Consul agent: events, tag and dc filters, KV.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startConsulAgent } from '../../testing/consul-agent.js';
import { Backoff } from '../discovery/backoff.js';
import { ConsulClient } from '../discovery/client.js';
import { resolveConsulSettings } from '../discovery/settings.js';
import type { Logger } from '../discovery/log.js';
import { EventBus, type SupervisorEvent } from '../events/bus.js';
import type { WatchConfig } from '../config/model.js';
import { startWatches, type WatchSet } from './index.js';

type Agent = Awaited<ReturnType<typeof startConsulAgent>>;
let agent: Agent;
let client: ConsulClient;
const lines: string[] = [];
const log: Logger = {
  debug: () => {},
  info: (m) => lines.push(`info: ${m}`),
  warn: (m) => lines.push(`warn: ${m}`),
  error: (m) => lines.push(`error: ${m}`),
};

function base(): string {
  return agent.httpUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

async function put(path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${base()}${path}`, { method: 'PUT', body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  assert.equal(res.status, 200, `PUT ${path}: ${await res.text()}`);
}

/** A check-less service counts as passing. */
const register = (id: string, name: string, address: string, port: number, tags: string[] = []) =>
  put('/v1/agent/service/register', { ID: id, Name: name, Address: address, Port: port, Tags: tags });
const deregister = (id: string) => put(`/v1/agent/service/deregister/${id}`);

interface Recorder {
  events: SupervisorEvent[];
  /** Resolves once `n` events from `source` arrived (bounded by the test's timeout). */
  waitFor(source: string, n: number): Promise<SupervisorEvent[]>;
  codes(source: string): string[];
}

function recorder(bus: EventBus): Recorder {
  const events: SupervisorEvent[] = [];
  let wake: (() => void) | null = null;
  bus.subscribe((e) => {
    events.push(e);
    wake?.();
  });
  const of = (source: string) => events.filter((e) => e.source === source);
  return {
    events,
    codes: (source) => of(source).map((e) => e.code),
    async waitFor(source, n) {
      for (let i = 0; i < 10_000 && of(source).length < n; i++) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return of(source);
    },
  };
}

function setup(configs: WatchConfig[]): { bus: EventBus; rec: Recorder; watches: WatchSet } {
  const bus = new EventBus();
  const rec = recorder(bus);
  const watches = startWatches(configs, { client, bus, log, waitMs: 30_000, backoff: () => new Backoff({ initialMs: 100, maxMs: 500 }) });
  return { bus, rec, watches };
}

const svcWatch = (name: string, service = name, extra: { tag?: string; dc?: string } = {}, intervalMs = 50): WatchConfig => ({
  name,
  target: { kind: 'service', service, ...extra },
  intervalMs,
});

/** Waits until the watch has answered once, so later changes are measured from a blocked query. */
async function ready(watches: WatchSet, name: string): Promise<void> {
  for (let i = 0; i < 400 && !watches.get(name)?.ready; i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(watches.get(name)?.ready, `watch ${name} answered`);
  await new Promise((r) => setTimeout(r, 100));
}

// Nothing may escape from the code under test, even while the agent is down.
const escaped: unknown[] = [];
const onEscape = (err: unknown) => escaped.push(err);
process.on('unhandledRejection', onEscape);
process.on('uncaughtException', onEscape);

before(async () => {
  agent = await startConsulAgent();
  client = new ConsulClient(resolveConsulSettings(agent.address, {}), { requestTimeoutMs: 2000 });
});

after(async () => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  client?.close();
  await agent?.stop();
  assert.deepEqual(escaped, [], 'no unhandled rejection or uncaught exception');
});

test('a service watch emits changed/healthy/unhealthy on registration and deregistration', async (t) => {
  const { rec, watches } = setup([svcWatch('app')]);
  try {
    await ready(watches, 'app');
    assert.deepEqual(rec.codes('watch.app'), [], 'no instances at start: silent');

    let t0 = performance.now();
    await register('app-1', 'app', '10.0.0.1', 80);
    await rec.waitFor('watch.app', 2);
    t.diagnostic(`latency from registration to healthy: ${(performance.now() - t0).toFixed(1)} ms`);
    assert.deepEqual(rec.codes('watch.app'), ['changed', 'healthy']);
    assert.deepEqual(watches.get('app')?.instances(), [{ address: '10.0.0.1', port: 80, id: 'app-1' }]);

    // Tags only: the address:port set is the same, so no event; the next real change proves
    // the watch had seen it (its events follow directly).
    await register('app-1', 'app', '10.0.0.1', 80, ['new-tag']);
    await register('app-2', 'app', '10.0.0.2', 80);
    await rec.waitFor('watch.app', 4);
    assert.deepEqual(rec.codes('watch.app'), ['changed', 'healthy', 'changed', 'healthy']);
    assert.equal(watches.get('app')?.instances().length, 2);

    await deregister('app-2');
    await rec.waitFor('watch.app', 6);
    t0 = performance.now();
    await deregister('app-1');
    await rec.waitFor('watch.app', 8);
    t.diagnostic(`latency from deregistration to unhealthy: ${(performance.now() - t0).toFixed(1)} ms`);
    assert.deepEqual(rec.codes('watch.app'), ['changed', 'healthy', 'changed', 'healthy', 'changed', 'healthy', 'changed', 'unhealthy']);
    assert.deepEqual(watches.get('app')?.instances(), []);
  } finally {
    await watches.stop();
  }
});

test('a check turning critical or passing again is a change of the passing set', async () => {
  const { rec, watches } = setup([svcWatch('ttl')]);
  try {
    await ready(watches, 'ttl');
    await put('/v1/agent/service/register', { ID: 'ttl-1', Name: 'ttl', Address: '10.0.4.1', Port: 80, Check: { CheckID: 'ttl-1-check', TTL: '60s', Status: 'passing' } });
    await rec.waitFor('watch.ttl', 2);
    await put('/v1/agent/check/fail/ttl-1-check?note=down');
    await rec.waitFor('watch.ttl', 4);
    await put('/v1/agent/check/pass/ttl-1-check?note=up');
    await rec.waitFor('watch.ttl', 6);
    assert.deepEqual(rec.codes('watch.ttl'), ['changed', 'healthy', 'changed', 'unhealthy', 'changed', 'healthy']);
  } finally {
    await watches.stop();
  }
  await deregister('ttl-1');
});

test('tag and dc filters; two watches of one service keep separate state', async () => {
  const { rec, watches } = setup([svcWatch('db-primary', 'db', { tag: 'primary' }), svcWatch('db-any', 'db', { dc: 'dc1' }), svcWatch('db-far', 'db', { dc: 'nowhere' })]);
  try {
    await ready(watches, 'db-primary');
    await ready(watches, 'db-any');
    await register('db-r', 'db', '10.0.1.2', 5432, ['replica']);
    await rec.waitFor('watch.db-any', 2);
    await register('db-p', 'db', '10.0.1.1', 5432, ['primary']);
    await rec.waitFor('watch.db-primary', 2);
    await rec.waitFor('watch.db-any', 4);
    assert.deepEqual(rec.codes('watch.db-primary'), ['changed', 'healthy']);
    assert.deepEqual(watches.get('db-primary')?.instances().map((i) => i.id), ['db-p']);
    assert.deepEqual(rec.codes('watch.db-any'), ['changed', 'healthy', 'changed', 'healthy']);
    assert.equal(watches.get('db-any')?.instances().length, 2);
    // An unknown datacenter is an error answer: logged, no event, no exception.
    assert.deepEqual(rec.codes('watch.db-far'), []);
    assert.equal(watches.get('db-far')?.ready, false);
    assert.ok(lines.some((l) => l.startsWith('warn: watch.db-far:')), 'the failing watch logs');
    await deregister('db-r');
    await deregister('db-p');
    await rec.waitFor('watch.db-primary', 4);
    assert.deepEqual(rec.codes('watch.db-primary'), ['changed', 'healthy', 'changed', 'unhealthy']);
  } finally {
    await watches.stop();
  }
});

test('KV watches: a key and a prefix', async () => {
  const { rec, watches } = setup([
    { name: 'flags', target: { kind: 'kv', key: 'app/flags', prefix: false }, intervalMs: 50 },
    { name: 'conf', target: { kind: 'kv', key: 'conf/', prefix: true }, intervalMs: 50 },
  ]);
  try {
    await ready(watches, 'flags');
    await ready(watches, 'conf');
    assert.deepEqual(rec.codes('watch.flags'), []);
    await put('/v1/kv/app/flags', 'on');
    await rec.waitFor('watch.flags', 1);
    assert.deepEqual(watches.get('flags')?.values(), { 'app/flags': 'on' });
    await put('/v1/kv/app/flags', 'on'); // same value: no change
    await put('/v1/kv/app/flags', 'off');
    await rec.waitFor('watch.flags', 2);
    await fetch(`${base()}/v1/kv/app/flags`, { method: 'DELETE' });
    await rec.waitFor('watch.flags', 3);
    assert.deepEqual(rec.codes('watch.flags'), ['changed', 'changed', 'changed']);
    assert.deepEqual(watches.get('flags')?.values(), {});

    await put('/v1/kv/conf/a', '1');
    await rec.waitFor('watch.conf', 1);
    await put('/v1/kv/conf/b', '2');
    await rec.waitFor('watch.conf', 2);
    assert.deepEqual(rec.codes('watch.conf'), ['changed', 'changed']);
    assert.deepEqual(watches.get('conf')?.values(), { 'conf/a': '1', 'conf/b': '2' });
  } finally {
    await watches.stop();
  }
});
