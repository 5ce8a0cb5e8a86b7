import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoDuration, parseWait, WaitError } from './wait.js';

test('-wait values as consul-template reads them', () => {
  assert.deepEqual(parseWait('5s'), { minMs: 5000, maxMs: 20_000 });
  assert.deepEqual(parseWait('500ms:2s'), { minMs: 500, maxMs: 2000 });
  assert.deepEqual(parseWait(' 1m30s : 2m '), { minMs: 90_000, maxMs: 120_000 });
  assert.deepEqual(parseWait('0'), { minMs: 0, maxMs: 0 });
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('250us'), 0.25);
});

test('-wait mistakes are one line naming the flag', () => {
  for (const bad of ['', '5', 'abc', '5s:', '1s:2s:3s', '-1s', '5x']) {
    assert.throws(() => parseWait(bad), (e: unknown) => e instanceof WaitError && /^-wait ".*": expected min\[:max\]/.test(e.message) && !e.message.includes('\n'), bad);
  }
  assert.throws(() => parseWait('2s:1s'), { message: '-wait "2s:1s": max must not be less than min' });
});
