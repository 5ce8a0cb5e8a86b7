/**
 * The query loop behind every watch: Consul blocking queries, so a change is seen as soon as
 * Consul has it. After an answer with a new index the next query starts CHANGE_GAP_MS later
 * (a burst of changes, such as ten instances starting, is followed closely instead of one step
 * per interval); otherwise `intervalMs` is the minimum time between two query starts (the poll
 * period when Consul sends no index and cannot block, and a rate limit on early returns).
 * With `blocking: false` (a watch's opt-in, ContainerPilot 3's behaviour) every query is a plain
 * read (index 0, no wait) and query starts are `intervalMs` apart, change or not.
 * An answer whose index Consul should never send (0, or lower than the one asked with) resets
 * the index to 0 and waits a jittered interval before the next query. Failures (no answer, an
 * error status, a body that is not the JSON the endpoint returns) are retried with jittered
 * back-off capped at the interval. Each state change is logged once, not each query; the loop
 * ends only when the signal aborts.
 */
import { Backoff, sleep } from '../discovery/retry-backoff.js';
import type { QueryResult } from '../discovery/client.js';
import type { Logger } from '../discovery/log.js';
import { indexAnomaly, QueryStatus } from '../discovery/query-status.js';
import { nextIndex } from './state.js';

/** Gap after an answer that carried a change: coalesces bursts without delaying them visibly. */
export const CHANGE_GAP_MS = 50;

export interface LoopOptions<T> {
  /** For log lines: `watch.<name>`. */
  label: string;
  /** One query; index 0 = answer at once. Must honour the signal. */
  query(index: bigint, signal: AbortSignal): Promise<QueryResult<T>>;
  onData(data: T): void;
  intervalMs: number;
  /** false: poll (index 0 every time, one query start per interval). Default true. */
  blocking?: boolean;
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
  // After an index Consul should never send (0, or lower than the one asked with) the next
  // query waits a whole interval, jittered, like a poll: never the 50 ms follow-up of a change,
  // which with such an index would repeat at once, every time.
  const anomalyGap = new Backoff({ initialMs: o.intervalMs, maxMs: o.intervalMs });
  const blocking = o.blocking !== false;
  const status = new QueryStatus(o.label, { warn: (m) => o.log.warn(m), info: (m) => o.log.info(m) });
  let index = 0n;
  let lastStart = Number.NEGATIVE_INFINITY;
  let gapMs = 0;
  while (!o.signal.aborted) {
    const wait = lastStart + gapMs - now();
    if (wait > 0) await pause(wait, o.signal);
    if (o.signal.aborted) break;
    lastStart = now();
    const asked = blocking ? index : 0n;
    let result: QueryResult<T>;
    try {
      result = await untilAborted(o.query(asked, o.signal), o.signal);
    } catch (err) {
      if (o.signal.aborted) break;
      status.failed(err instanceof Error ? err.message : String(err));
      // Start over without an index: after an outage the agent may have lost its state.
      index = 0n;
      gapMs = o.intervalMs;
      await pause(backoff.next(), o.signal);
      continue;
    }
    backoff.reset();
    status.answered();
    const anomaly = blocking ? indexAnomaly(asked, result.index) : undefined;
    if (anomaly) {
      status.anomaly(anomaly, `${anomaly} (asked with ${asked}, answered ${result.index}): starting over from index 0, next query in ${o.intervalMs} ms`);
      index = 0n;
      gapMs = anomalyGap.next();
    } else {
      // Only a blocking query answered with a sound index shows that blocking works again.
      if (asked > 0n) status.sound();
      const previous = index;
      index = nextIndex(index, result.index);
      gapMs = status.anomalous
        ? anomalyGap.next()
        : blocking && result.index !== undefined && index !== previous
          ? Math.min(CHANGE_GAP_MS, o.intervalMs)
          : o.intervalMs;
    }
    try {
      o.onData(result.data);
    } catch (err) {
      // A faulty consumer must not kill the watch.
      o.log.error(`${o.label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/**
 * Settles with `p`, or rejects as soon as `signal` aborts: a runtime whose HTTP client ignores
 * the abort (the npm consul client on Deno) must not hold a stopping watch for a whole
 * blocking-query wait.
 */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(new Error('aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      p.catch(() => undefined); // the abandoned query may still settle later
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
