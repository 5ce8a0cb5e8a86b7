/**
 * One blocking query per dependency: the first answer comes at once, later ones when Consul's
 * index moves. A changed value goes to the data store and calls `onChange`. Failures are logged
 * (then at most once per doubling back-off) and retried; `stop()` aborts the pending query.
 */
import type { RenderConsul } from './consul-api.js';
import type { Dep } from './deps.js';
import { fetchDep } from './fetch.js';
import type { Brain } from './pass.js';
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
const MAX_BACKOFF_MS = 10_000;

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
    let failures = 0;
    let backoff = 250;
    // Some runtimes (Deno) do not end an aborted in-flight request: stop() must not wait for it.
    const aborted = new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const got = await Promise.race([fetchDep(opts.consul, dep, { index, waitMs: opts.waitMs ?? 60_000, signal }), aborted]);
        if (got === undefined || signal.aborted) break;
        if (failures > 0) opts.log(`${dep.key}: consul reachable again after ${failures} failed queries`);
        failures = 0;
        backoff = 250;
        // Consul's rules: reset when the index goes backwards; never block on 0.
        index = got.index === undefined || got.index <= 0n || (index !== undefined && got.index < index) ? undefined : got.index;
        // Consul's text, not the shaped value: shaping is lazy and a thousand instances would
        // otherwise all be shaped (and serialized) on every answer.
        if (got.text !== last) {
          last = got.text;
          opts.brain.set(dep.key, got.value);
          opts.onChange();
        }
        // Without an index Consul cannot block: poll instead.
        await this.sleep(index === undefined ? 1000 : Math.max(0, MIN_GAP_MS - (Date.now() - started)));
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        index = undefined;
        if ((failures & (failures - 1)) === 0) opts.log(`${dep.key}: ${err instanceof Error ? err.message : String(err)} (failure ${failures}; retrying)`);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }
}
