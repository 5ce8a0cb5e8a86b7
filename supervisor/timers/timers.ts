/**
 * Timers for durations of any size. Node, Bun and Deno take a timer delay of at most 2^31-1 ms
 * (about 24.8 days) and fire a longer one after 1 ms, so `interval: "720h"` would be a hot loop
 * and `timeout: "600h"` an immediate kill. Every timer of the supervisor and the renderer goes
 * through `after`/`every`/`sleep` here: a delay up to Go's time.Duration maximum (2^63-1 ns,
 * about 292 years; anything longer is that maximum) is a chain of timers of at most 2^31-1 ms.
 * `clear()` and `unref()` act on whichever link of the chain is armed.
 */
import { createRequire } from 'node:module';

/** The longest delay one runtime timer honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** Go's time.Duration maximum, 2^63-1 ns, in ms. */
export const MAX_DURATION_MS = 9_223_372_036_854.775807;

/** A running one-shot or repeating timer. */
export interface Timer {
  /** Cancels it; harmless when it already fired or was cleared. */
  clear(): void;
  /** Lets the process exit while only this timer is pending (as Timeout.unref()). */
  unref(): Timer;
  ref(): Timer;
  hasRef(): boolean;
}

/** The runtime's primitive timers (tests inject a fake clock that clamps as runtimes do). */
export interface TimerFunctions {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Timers {
  /** Calls `fn` once after `ms`. */
  after(ms: number, fn: () => void): Timer;
  /** Calls `fn` every `ms`, the first time after `ms` (as setInterval). */
  every(ms: number, fn: () => void): Timer;
  /** Resolves after `ms`, or at once (without rejecting) when `signal` aborts. Unref'd if asked. */
  sleep(ms: number, opts?: { signal?: AbortSignal; unref?: boolean }): Promise<void>;
}

/** ms as a chain can honour it: not a number or not positive -> 0 (the runtime's 1 ms). */
function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_DURATION_MS);
}

type Handle = { unref?(): unknown; ref?(): unknown };

export function timersOn(fns: TimerFunctions): Timers {
  const after = (ms: number, fn: () => void): Timer => {
    let remaining = clampDelay(ms);
    let handle: unknown;
    let referenced = true;
    let done = false;
    const applyRef = (): void => {
      const h = handle as Handle | undefined;
      if (referenced) h?.ref?.();
      else h?.unref?.();
    };
    const arm = (): void => {
      const step = Math.min(remaining, MAX_TIMER_MS);
      remaining -= step;
      handle = fns.setTimeout(() => {
        if (done) return;
        if (remaining > 0) return arm();
        done = true;
        fn();
      }, step);
      if (!referenced) applyRef();
    };
    arm();
    const timer: Timer = {
      clear() {
        done = true;
        fns.clearTimeout(handle);
      },
      unref() {
        referenced = false;
        applyRef();
        return timer;
      },
      ref() {
        referenced = true;
        applyRef();
        return timer;
      },
      hasRef: () => referenced && !done,
    };
    return timer;
  };

  const every = (ms: number, fn: () => void): Timer => {
    let current: Timer | undefined;
    let stopped = false;
    let referenced = true;
    const arm = (): void => {
      current = after(ms, () => {
        if (stopped) return;
        arm(); // re-armed before the callback, as setInterval does
        fn();
      });
      if (!referenced) current.unref();
    };
    arm();
    const timer: Timer = {
      clear() {
        stopped = true;
        current?.clear();
      },
      unref() {
        referenced = false;
        current?.unref();
        return timer;
      },
      ref() {
        referenced = true;
        current?.ref();
        return timer;
      },
      hasRef: () => referenced && !stopped,
    };
    return timer;
  };

  const sleep = (ms: number, opts: { signal?: AbortSignal; unref?: boolean } = {}): Promise<void> =>
    new Promise((resolve) => {
      const { signal } = opts;
      if (signal?.aborted) return resolve();
      const done = (): void => {
        timer.clear();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = after(ms, done);
      if (opts.unref) timer.unref();
      signal?.addEventListener('abort', done, { once: true });
    });

  return { after, every, sleep };
}

// On Deno, node:timers: its global setTimeout returns a number with no unref(). Node's and Bun's
// globals are node:timers' own, and requiring the module costs a Bun binary's start 0.4 ms.
const nodeTimers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'> =
  'Deno' in globalThis ? (createRequire(import.meta.url)('node:timers') as typeof import('node:timers')) : globalThis;
const runtime = timersOn({
  setTimeout: (fn, ms) => nodeTimers.setTimeout(fn, ms),
  clearTimeout: (h) => nodeTimers.clearTimeout(h as NodeJS.Timeout),
});

export const after = runtime.after;
export const every = runtime.every;
export const sleep = runtime.sleep;

/** Resolves true if `p` settles (either way) within `ms`, false otherwise. */
export function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = after(ms, () => resolve(false));
    const settled = (): void => {
      timer.clear();
      resolve(true);
    };
    p.then(settled, settled);
  });
}
