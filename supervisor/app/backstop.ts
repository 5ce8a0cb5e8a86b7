/**
 * The stop's backstop: every step of a stop sequence is bounded, but a PID 1 must never hang on
 * a stuck chain. After `limitMs` it kills everything, waits a moment for the kills to be
 * reported, then gives up waiting.
 */
import { after, type Timer } from '../timers/timers.js';

export function armBackstop(limitMs: number, kill: () => void, giveUp: () => void): () => void {
  let grace: Timer | undefined;
  const timer = after(limitMs, () => {
    kill();
    grace = after(1_000, giveUp);
  });
  return () => {
    timer.clear();
    grace?.clear();
  };
}

/** 2 x the global stopTimeout + the longest job stopTimeout + the hook bound + 5 s. */
export function backstopLimitMs(stopTimeoutMs: number, jobStopTimeoutsMs: number[], hookMs: number): number {
  return 2 * stopTimeoutMs + Math.max(0, ...jobStopTimeoutsMs) + hookMs + 5_000;
}
