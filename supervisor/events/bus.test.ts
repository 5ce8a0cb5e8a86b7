import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventBus, type SupervisorEvent } from './bus.js';

test('delivers asynchronously, in publish order, to every subscriber', async () => {
  const bus = new EventBus();
  const a: string[] = [];
  const b: string[] = [];
  bus.subscribe((e) => a.push(`${e.code}:${e.source}`));
  bus.subscribe((e) => b.push(e.code));
  bus.publish({ code: 'startup', source: 'global' });
  bus.publish({ code: 'exitSuccess', source: 'app' });
  assert.deepEqual(a, [], 'nothing delivered synchronously');
  await bus.idle();
  assert.deepEqual(a, ['startup:global', 'exitSuccess:app']);
  assert.deepEqual(b, ['startup', 'exitSuccess']);
});

test('a subscriber publishing from its handler is not re-entered; the new event comes after', async () => {
  const bus = new EventBus();
  const seen: string[] = [];
  let depth = 0;
  bus.subscribe((e) => {
    depth++;
    assert.equal(depth, 1);
    seen.push(e.code);
    if (e.code === 'stopping') bus.publish({ code: 'stopped', source: e.source });
    depth--;
  });
  bus.publish({ code: 'stopping', source: 'app' });
  bus.publish({ code: 'other', source: 'x' });
  await bus.idle();
  assert.deepEqual(seen, ['stopping', 'other', 'stopped']);
});

test('unsubscribe stops delivery; a throwing subscriber is reported and does not stop the others', async () => {
  const errors: string[] = [];
  const bus = new EventBus({ onError: (err, e) => errors.push(`${(err as Error).message}@${e.code}`) });
  const got: SupervisorEvent[] = [];
  bus.subscribe(() => {
    throw new Error('boom');
  });
  const off = bus.subscribe((e) => got.push(e));
  bus.publish({ code: 'a', source: 's' });
  await bus.idle();
  off();
  bus.publish({ code: 'b', source: 's' });
  await bus.idle();
  assert.deepEqual(got.map((e) => e.code), ['a']);
  assert.deepEqual(errors, ['boom@a', 'boom@b']);
});
