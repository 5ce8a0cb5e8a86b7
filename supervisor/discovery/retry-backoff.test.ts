import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, FailureLog, sleep } from './retry-backoff.js';

test('back-off doubles up to the cap, with bounded jitter, and resets', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0, random: () => 0.5 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000, 1000]);
  b.reset();
  assert.equal(b.next(), 100);
  const j = new Backoff({ initialMs: 1000, jitter: 0.2, random: () => 0 });
  assert.equal(j.next(), 800);
  const k = new Backoff({ initialMs: 1000, jitter: 0.2, random: () => 0.999999 });
  assert.equal(k.next(), 1200);
});

test('failure log: first failure, then one line per doubling period, and a recovery line', () => {
  let t = 0;
  const lines: string[] = [];
  const log = (m: string) => lines.push(m);
  const f = new FailureLog({ initialMs: 1000, maxMs: 4000, now: () => t });
  for (t = 0; t < 10_000; t += 100) f.failure(log, 'down');
  assert.ok(f.failing);
  // Logged at 0, 1000, 3000, 7000 (periods 1 s, 2 s, 4 s, 4 s): 4 lines for 100 failures.
  assert.equal(lines.length, 4);
  assert.equal(lines[0], 'down');
  assert.match(lines[1] ?? '', /^down \(9 similar failures not logged\)$/);
  f.success(log, 'back');
  assert.equal(lines.at(-1), 'back after 100 failures');
  f.success(log, 'back');
  assert.equal(lines.length, 5, 'no recovery line without failures');
  assert.ok(!f.failing);
});

test('sleep ends when aborted', { timeout: 20_000 }, async () => {
  const c = new AbortController();
  let done = false;
  const p = sleep(3_600_000, c.signal).then(() => (done = true));
  await sleep(10);
  assert.equal(done, false);
  c.abort();
  await p;
  assert.equal(done, true);
});
