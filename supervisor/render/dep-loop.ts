/**
 * One blocking query per dependency: the first answer comes at once, later ones when Consul's
 * index moves. A changed value goes to the data store and calls `onChange`. Consul's rules for
 * blocking queries: an answer without an index, with index 0 or with one lower than asked is
 * not blocked on (the index starts over from 0) and the next query waits a second (jittered);
 * failures are retried with jittered back-off (250 ms doubling to 10 s). Each change of state
 * (failing with a given error, an index anomaly, answering again) is logged once, not each
 * query; `stop()` aborts the pending query.
 */
import type { RenderConsul } from './consul-api.js';
import type { Dep } from './deps.js';
import { fetchDep } from './fetch.js';
import type { Brain } from './pass.js';
import { Backoff } from '../discovery/retry-backoff.js';
import { indexAnomaly, QueryStatus } from '../discovery/query-status.js';
import { sleep } from '../timers/timers.js';

export interface DepLoopOptions {
  consul: RenderConsul;
  brain: Brain;
  onChange: () => void;
  log: (line: string) => void;
  /** How long Consul may hold a blocking query (default 60 s). */
  waitMs?: number;
}

const MIN_GAP_MS = 100; // between two query starts: no hot loop when answers come back at once
const POLL_MS = 1_000; // between two query starts when Consul's index cannot be blocked on

export class DepLoop {
  private readonly abort = new AbortController();
  readonly done: Promise<void>;

  constructor(
    readonly dep: Dep,
    private readonly opts: DepLoopOptions,
  ) {
    this.done = this.run();
  }

  stop(): Promise<void> {
    this.abort.abort();
    return this.done;
  }

  private sleep(ms: number): Promise<void> {
    return sleep(ms, { signal: this.abort.signal });
  }

  private async run(): Promise<void> {
    const { dep, opts } = this;
    const signal = this.abort.signal;
    let index: bigint | undefined;
    let last: string | undefined;
    const backoff = new Backoff({ initialMs: 250, maxMs: 10_000 });
    const poll = new Backoff({ initialMs: POLL_MS, maxMs: POLL_MS });
    const status = new QueryStatus(dep.key, { warn: opts.log, info: opts.log });
    // Some runtimes (Deno) do not end an aborted in-flight request: stop() must not wait for it.
    const aborted = new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    while (!signal.aborted) {
      const started = Date.now();
      const asked = index ?? 0n;
      try {
        const got = await Promise.race([fetchDep(opts.consul, dep, { index, waitMs: opts.waitMs ?? 60_000, signal }), aborted]);
        if (got === undefined || signal.aborted) break;
        status.answered();
        backoff.reset();
        const anomaly = indexAnomaly(asked, got.index);
        if (anomaly) status.anomaly(anomaly, `${anomaly} (asked with ${asked}, answered ${got.index}): starting over from index 0, next query in ${POLL_MS} ms`);
        else if (asked > 0n) status.sound();
        index = anomaly || got.index === undefined ? undefined : got.index;
        // Consul's text, not the shaped value: shaping is lazy and a thousand instances would
        // otherwise all be shaped (and serialized) on every answer.
        if (got.text !== last) {
          last = got.text;
          opts.brain.set(dep.key, got.value);
          opts.onChange();
        }
        // Without an index to block on, poll instead.
        await this.sleep(index === undefined || status.anomalous ? poll.next() : Math.max(0, MIN_GAP_MS - (Date.now() - started)));
      } catch (err) {
        if (signal.aborted) break;
        index = undefined;
        status.failed(err instanceof Error ? err.message : String(err));
        await this.sleep(backoff.next());
      }
    }
  }
}
