/**
 * The query loop behind every watch: Consul blocking queries, so a change is seen as soon as
 * Consul has it, with `intervalMs` as the minimum time between two query starts (a rate limit
 * when answers come fast, the poll period when Consul sends no index and cannot block).
 * Failures are logged and retried with back-off capped at the interval; the loop ends only when
 * the signal aborts.
 */
import { Backoff, FailureLog, sleep } from '../discovery/backoff.js';
import type { QueryResult } from '../discovery/client.js';
import type { Logger } from '../discovery/log.js';
import { nextIndex } from './state.js';

export interface LoopOptions<T> {
  /** For log lines: `watch.<name>`. */
  label: string;
  /** One query; index 0 = answer at once. Must honour the signal. */
  query(index: bigint, signal: AbortSignal): Promise<QueryResult<T>>;
  onData(data: T): void;
  intervalMs: number;
  signal: AbortSignal;
  log: Logger;
  backoff?: Backoff;
  /** Clock and sleep, injectable so the rate limit can be tested without waiting. */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export async function runQueryLoop<T>(o: LoopOptions<T>): Promise<void> {
  const now = o.now ?? Date.now;
  const pause = o.sleep ?? sleep;
  // Retries back off, but never beyond the watch's own interval (1 s to 30 s): a watch polls
  // Consul again within one interval of its return, as ContainerPilot's polling did.
  const backoff = o.backoff ?? new Backoff({ initialMs: 500, maxMs: Math.min(30_000, Math.max(1_000, o.intervalMs)) });
  const failures = new FailureLog();
  let index = 0n;
  let lastStart = Number.NEGATIVE_INFINITY;
  while (!o.signal.aborted) {
    const wait = lastStart + o.intervalMs - now();
    if (wait > 0) await pause(wait, o.signal);
    if (o.signal.aborted) break;
    lastStart = now();
    let result: QueryResult<T>;
    try {
      result = await o.query(index, o.signal);
    } catch (err) {
      if (o.signal.aborted) break;
      failures.failure((m) => o.log.warn(m), `${o.label}: ${err instanceof Error ? err.message : String(err)}`);
      // Start over without an index: after an outage the agent may have lost its state.
      index = 0n;
      await pause(backoff.next(), o.signal);
      continue;
    }
    backoff.reset();
    failures.success((m) => o.log.info(m), `${o.label}: Consul reachable again`);
    if (result.index !== undefined && result.index < index) o.log.debug(`${o.label}: Consul index went backwards: resetting`);
    index = nextIndex(index, result.index);
    try {
      o.onData(result.data);
    } catch (err) {
      // A faulty consumer must not kill the watch.
      o.log.error(`${o.label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
