import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeartbeatPacer } from './heartbeat-pacer.js';

const fine = { registered: true, lastStatus: 'passing' as const, lastError: undefined };

/** The call times (ms) at which a pacer sends, for checks every `everyMs` over `spanMs`. */
function sent(ttlMs: number, everyMs: number, spanMs: number, state: (t: number) => Parameters<HeartbeatPacer['due']>[1] = () => fine): number[] {
  const pacer = new HeartbeatPacer(ttlMs);
  const out: number[] = [];
  for (let t = 0; t <= spanMs; t += everyMs) if (pacer.due(t, state(t))) out.push(t);
  return out;
}

test('checks every second with a 5 s TTL: a heartbeat every 2 s, never more than ttl/2 + one interval apart', () => {
  const times = sent(5000, 1000, 20_000);
  assert.deepEqual(times, [0, 2000, 4000, 6000, 8000, 10_000, 12_000, 14_000, 16_000, 18_000, 20_000]);
});

test('a check interval of a quarter of the TTL or more sends every heartbeat (ContainerPilot configs: interval 5, ttl 10)', () => {
  assert.deepEqual(sent(10_000, 5000, 30_000), [0, 5000, 10_000, 15_000, 20_000, 25_000, 30_000]);
  assert.deepEqual(sent(10_000, 2500, 10_000), [0, 2500, 5000, 7500, 10_000]);
});

test('sends at once whenever the registration is not known to be passing', () => {
  const states = new Map<number, Parameters<HeartbeatPacer['due']>[1]>([
    [1000, { registered: false, lastStatus: 'passing', lastError: undefined }], // lost by Consul / maintenance ended
    [2000, { registered: true, lastStatus: 'critical', lastError: undefined }], // after a failing check
    [3000, { registered: true, lastStatus: 'passing', lastError: 'connect ECONNREFUSED' }], // Consul trouble
    [4000, undefined], // not advertised yet
  ]);
  assert.deepEqual(sent(5000, 1000, 6000, (t) => (states.has(t) ? states.get(t) : fine)), [0, 1000, 2000, 3000, 4000, 6000]);
});

test('a check later than the usual gap is sent (the next one might come too late)', () => {
  const pacer = new HeartbeatPacer(5000);
  assert.equal(pacer.due(0, fine), true);
  assert.equal(pacer.due(500, fine), false);
  assert.equal(pacer.due(2200, fine), true, 'elapsed 2.2 s + gap 1.7 s reaches past ttl/2');
});

test('no TTL: every heartbeat is sent (it only registers)', () => {
  assert.deepEqual(sent(0, 1000, 3000), [0, 1000, 2000, 3000]);
});
