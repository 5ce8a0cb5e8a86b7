import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instancesFromEntries, kvSnapshot, nextIndex, sameKv, serviceEvents, type Instance } from './state.js';

const inst = (address: string, port: number, id = `${address}:${port}`): Instance => ({ address, port, id });

test('first answer: silent when empty, changed+healthy when instances exist', () => {
  assert.deepEqual(serviceEvents([], []), []);
  assert.deepEqual(serviceEvents([], [inst('10.0.0.1', 80)]), ['changed', 'healthy']);
});

test('changes of the address:port set emit changed, then healthy or unhealthy', () => {
  const one = [inst('10.0.0.1', 80)];
  const two = [inst('10.0.0.1', 80), inst('10.0.0.2', 80)];
  assert.deepEqual(serviceEvents(one, two), ['changed', 'healthy']);
  assert.deepEqual(serviceEvents(two, one), ['changed', 'healthy']);
  assert.deepEqual(serviceEvents(one, []), ['changed', 'unhealthy']);
  assert.deepEqual(serviceEvents(one, [inst('10.0.0.1', 81)]), ['changed', 'healthy']);
});

test('unrelated fields (IDs, order) are not a change', () => {
  const a = [inst('10.0.0.1', 80, 'a'), inst('10.0.0.2', 80, 'b')];
  const b = [inst('10.0.0.2', 80, 'x'), inst('10.0.0.1', 80, 'y')];
  assert.deepEqual(serviceEvents(a, b), []);
});

test('the service address falls back to the node address', () => {
  const list = instancesFromEntries([
    { Node: { Address: '10.0.0.9' }, Service: { ID: 'b', Address: '', Port: 80 } },
    { Node: { Address: '10.0.0.9' }, Service: { ID: 'a', Address: '10.0.0.5', Port: 81 } },
  ]);
  assert.deepEqual(list, [inst('10.0.0.5', 81, 'a'), inst('10.0.0.9', 80, 'b')]);
});

test('KV snapshots compare keys and values only', () => {
  const a = kvSnapshot([{ Key: 'x', Value: '1', ModifyIndex: 5 }, { Key: 'y', Value: null }]);
  assert.ok(sameKv(a, kvSnapshot([{ Key: 'y', Value: null }, { Key: 'x', Value: '1', ModifyIndex: 9 }])));
  assert.ok(!sameKv(a, kvSnapshot([{ Key: 'x', Value: '2' }, { Key: 'y', Value: null }])));
  assert.ok(!sameKv(a, kvSnapshot([{ Key: 'x', Value: '1' }])));
  assert.ok(!sameKv(kvSnapshot([]), a));
});

test('blocking index bookkeeping', () => {
  assert.equal(nextIndex(0n, 42n), 42n);
  assert.equal(nextIndex(42n, 43n), 43n);
  assert.equal(nextIndex(42n, 42n), 42n);
  assert.equal(nextIndex(42n, 7n), 0n, 'backwards: reset to 0');
  assert.equal(nextIndex(0n, 0n), 0n, 'index 0 (a Consul bug): reset, the loop waits an interval');
  assert.equal(nextIndex(42n, 0n), 0n);
  assert.equal(nextIndex(42n, undefined), 0n, 'no index: poll');
});
