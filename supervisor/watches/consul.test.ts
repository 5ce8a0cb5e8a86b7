// Service and KV watches against a real Consul agent: events, tag and dc filters, KV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consulWatchHarness, ready, svcWatch } from '../../testing/watches-harness.js';

const h = consulWatchHarness();
const { put, base, register, deregister, setup, lines } = h;

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
