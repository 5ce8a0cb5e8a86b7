import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INITIAL_MS, MAX_MS, RestartBackoff, STABLE_MS } from './restart-backoff.js';

test('quick exits back off exponentially with jitter, capped; a stable run resets', () => {
  const hi = new RestartBackoff(() => 1); // jitter at its top: the full step
  const steps = Array.from({ length: 10 }, () => hi.delayAfter(10));
  assert.deepEqual(steps.slice(0, 5), [INITIAL_MS, 2 * INITIAL_MS, 4 * INITIAL_MS, 8 * INITIAL_MS, 16 * INITIAL_MS]);
  assert.equal(Math.max(...steps), MAX_MS);
  assert.equal(hi.delayAfter(STABLE_MS), 0, 'restart at once after a stable run');
  assert.equal(hi.delayAfter(10), INITIAL_MS, 'sequence starts over');
  const lo = new RestartBackoff(() => 0);
  assert.equal(lo.delayAfter(1), INITIAL_MS / 2, 'jitter goes down to half the step');
});
