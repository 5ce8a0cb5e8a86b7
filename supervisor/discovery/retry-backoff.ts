/**
 * Back-off for talking to a Consul that is down: exponential delays with jitter (so many
 * containers do not retry in lockstep) and a log limiter, so an outage costs a handful of log
 * lines rather than one per heartbeat. Used by discovery, the watches and the renderer.
 * Not jobs/restart-backoff.ts: restarting a crashed process starts at 100 ms and is reset by a
 * run that stayed up; a Consul outage is paced in seconds and reset by a success.
 */
import { sleep as sleepFor } from '../timers/timers.js';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** Fraction of the delay randomised (0..1), default 0.2. */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 1000;
    this.maxMs = opts.maxMs ?? 30_000;
    this.jitter = opts.jitter ?? 0.2;
    this.random = opts.random ?? Math.random;
  }

  /** The delay before the next retry; each call doubles the base up to the cap. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const spread = base * this.jitter;
    return Math.max(0, Math.round(base - spread + this.random() * 2 * spread));
  }

  get failures(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}

export type LogFn = (msg: string) => void;

/**
 * Logs the first failure of a streak, then at most once per doubling period (1 s, 2 s, ... up
 * to maxMs) with the count of failures not logged, and one line when the streak ends.
 */
export class FailureLog {
  private streak = 0;
  private suppressed = 0;
  private nextLogAt = 0;
  private periodMs: number;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;

  constructor(opts: { initialMs?: number; maxMs?: number; now?: () => number } = {}) {
    this.initialMs = opts.initialMs ?? 1000;
    this.maxMs = opts.maxMs ?? 60_000;
    this.periodMs = this.initialMs;
    this.now = opts.now ?? Date.now;
  }

  failure(log: LogFn, message: string): void {
    this.streak++;
    const t = this.now();
    if (this.streak === 1 || t >= this.nextLogAt) {
      const extra = this.suppressed > 0 ? ` (${this.suppressed} similar failures not logged)` : '';
      log(message + extra);
      this.suppressed = 0;
      this.nextLogAt = t + this.periodMs;
      this.periodMs = Math.min(this.maxMs, this.periodMs * 2);
    } else {
      this.suppressed++;
    }
  }

  success(log: LogFn, message: string): void {
    if (this.streak > 0) log(`${message} after ${this.streak} failure${this.streak === 1 ? '' : 's'}`);
    this.streak = 0;
    this.suppressed = 0;
    this.periodMs = this.initialMs;
    this.nextLogAt = 0;
  }

  get failing(): boolean {
    return this.streak > 0;
  }
}

/** Resolves after ms, or at once (without rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    resolve(sleepFor(ms, { signal }));
  });
}
