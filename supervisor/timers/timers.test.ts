/**
 * The timer helper at the runtimes' limit, on a fake clock that clamps as Node, Bun and Deno do
 * (a delay above 2^31-1 ms fires after 1 ms): nothing here sleeps for real except the last test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { after, every, MAX_DURATION_MS, MAX_TIMER_MS, timersOn, type TimerFunctions } from './timers.js';

/** A virtual clock with the runtimes' clamp; `advance` runs what falls due in time order. */
class FakeClock implements TimerFunctions {
  now = 0;
  armed: number[] = [];
  private seq = 0;
  private pending = new Map<number, { at: number; fn: () => void; unref: boolean }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const delay = ms > MAX_TIMER_MS || !(ms >= 1) ? 1 : ms; // the runtimes' rule
    this.armed.push(ms);
    const id = ++this.seq;
    const entry = { at: this.now + delay, fn, unref: false };
    this.pending.set(id, entry);
    return { id, unref: () => (entry.unref = true), ref: () => (entry.unref = false) };
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete((handle as { id: number }).id);
  }
  /** Runs every timer due up to now+ms (those they arm too), in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.pending.entries()].filter(([, e]) => e.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.pending.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }
  get size(): number {
    return this.pending.size;
  }
  get allUnref(): boolean {
    return [...this.pending.values()].every((e) => e.unref);
  }
}

function firesAt(ms: number): { clock: FakeClock; fired: number[] } {
  const clock = new FakeClock();
  const fired: number[] = [];
  timersOn(clock).after(ms, () => fired.push(clock.now));
  return { clock, fired };
}

for (const ms of [1, 1000, MAX_TIMER_MS - 1, MAX_TIMER_MS, MAX_TIMER_MS + 1, 2 ** 31, 2 ** 31 + 1, 720 * 3_600_000, 3_000_000_000]) {
  test(`after(${ms}) fires once, at ${ms} ms and not before`, () => {
    const { clock, fired } = firesAt(ms);
    clock.advance(ms - 1);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, [ms]);
    clock.advance(10 * MAX_TIMER_MS);
    assert.deepEqual(fired, [ms]);
    assert.ok(clock.armed.every((d) => d <= MAX_TIMER_MS), `armed ${clock.armed.join(', ')}`);
  });
}

test('the largest Go duration (2^63-1 ns, ~292 years) is a chain of maximal timers and fires at its end', () => {
  const { clock, fired } = firesAt(MAX_DURATION_MS);
  const links = Math.ceil(MAX_DURATION_MS / MAX_TIMER_MS);
  clock.advance(MAX_DURATION_MS - 1);
  assert.deepEqual(fired, []);
  clock.advance(1);
  assert.equal(fired.length, 1);
  assert.ok(Math.abs(fired[0]! - MAX_DURATION_MS) < 1e-3);
  assert.equal(clock.armed.length, links);
  assert.ok(clock.armed.every((d) => d > 0 && d <= MAX_TIMER_MS));
});

test('beyond the maximum (and Infinity) waits the maximum, never 1 ms', () => {
  for (const ms of [MAX_DURATION_MS * 2, Infinity]) {
    const { clock, fired } = firesAt(ms);
    clock.advance(MAX_DURATION_MS - 1);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.equal(fired.length, 1);
  }
});

test('0, negative and NaN keep the runtime meaning (next tick, 1 ms)', () => {
  for (const ms of [0, -5, NaN]) {
    const { clock, fired } = firesAt(ms);
    clock.advance(1);
    assert.deepEqual(fired, [1]);
  }
});

test('clear() before the end of a chain cancels it, in any link', () => {
  const clock = new FakeClock();
  const fired: number[] = [];
  const t = timersOn(clock).after(3 * MAX_TIMER_MS, () => fired.push(clock.now));
  clock.advance(MAX_TIMER_MS + 5); // second link armed
  t.clear();
  clock.advance(5 * MAX_TIMER_MS);
  assert.deepEqual(fired, []);
  assert.equal(clock.size, 0);
  t.clear(); // twice is harmless
});

test('unref() holds for every link of the chain, ref() undoes it', () => {
  const clock = new FakeClock();
  const t = timersOn(clock).after(3 * MAX_TIMER_MS, () => undefined).unref();
  assert.equal(t.hasRef(), false);
  assert.ok(clock.allUnref);
  clock.advance(MAX_TIMER_MS);
  assert.equal(clock.size, 1);
  assert.ok(clock.allUnref, 'the next link is unref too');
  t.ref();
  assert.equal(t.hasRef(), true);
  assert.equal(clock.allUnref, false);
  clock.advance(MAX_TIMER_MS);
  assert.equal(clock.allUnref, false);
});

for (const ms of [1000, MAX_TIMER_MS, 2 ** 31, 720 * 3_600_000]) {
  test(`every(${ms}) ticks at each multiple of ${ms} ms, never in between`, () => {
    const clock = new FakeClock();
    const ticks: number[] = [];
    const t = timersOn(clock).every(ms, () => ticks.push(clock.now));
    clock.advance(ms - 1);
    assert.deepEqual(ticks, []);
    clock.advance(1);
    clock.advance(2 * ms);
    assert.deepEqual(ticks, [ms, 2 * ms, 3 * ms]);
    t.clear();
    clock.advance(5 * ms);
    assert.equal(ticks.length, 3);
    assert.equal(clock.size, 0);
  });
}

test('every(): clear() from inside the callback stops it; unref() carries to later ticks', () => {
  const clock = new FakeClock();
  let n = 0;
  const t = timersOn(clock).every(2 ** 31, () => {
    if (++n === 2) t.clear();
  });
  t.unref();
  assert.ok(clock.allUnref);
  clock.advance(2 ** 31);
  assert.ok(clock.allUnref);
  clock.advance(10 * 2 ** 31);
  assert.equal(n, 2);
  assert.equal(clock.size, 0);
});

test('sleep() resolves after the delay, or at once when its signal aborts', async () => {
  const clock = new FakeClock();
  const timers = timersOn(clock);
  let slept = false;
  const p = timers.sleep(2 ** 31).then(() => (slept = true));
  clock.advance(2 ** 31 - 1);
  await Promise.resolve();
  assert.equal(slept, false);
  clock.advance(1);
  await p;
  const ac = new AbortController();
  const q = timers.sleep(MAX_DURATION_MS, { signal: ac.signal });
  ac.abort();
  await q;
  assert.equal(clock.size, 0);
});

test('on the real runtime: a 2^31 ms timer is still pending after 50 ms; a short one fires; unref lets us exit', async () => {
  let longFired = false;
  const long = after(2 ** 31, () => (longFired = true));
  const ticks: number[] = [];
  const started = performance.now();
  const rep = every(10, () => ticks.push(1));
  await new Promise<void>((r) => after(50, r));
  rep.clear();
  const elapsed = performance.now() - started;
  long.unref();
  assert.equal(longFired, false);
  // A loaded machine may run the wait late, so the bound follows the time that really passed: an
  // interval that fired early or hot would exceed one tick per 10 ms.
  assert.ok(ticks.length >= 1 && ticks.length <= Math.floor(elapsed / 10) + 1, `ticks ${ticks.length} in ${elapsed.toFixed(0)} ms`);
  long.clear();
});
