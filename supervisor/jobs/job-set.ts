/**
 * The running jobs: builds them from configs, answers their questions about each other
 * (is X complete? who hooks X's stopping?), notices when all have completed, and during a
 * shutdown completes stop hooks that can no longer fire (their job completed without them).
 */
import type { JobConfig } from '../config/model.js';
import type { EventBus } from '../events/bus.js';
import type { LogWriter } from '../log/logger.js';
import type { SignalName } from '../process/signal-group.js';
import { Job } from './job.js';
import type { JobContext, JobHooks } from './types.js';
import { isStopHook, stoppingHooksOf } from './when.js';

export interface JobSetOptions {
  bus: EventBus;
  log: LogWriter;
  killGraceMs(): number;
  hooksFor?(config: JobConfig): JobHooks | undefined;
  stopSignal?(): SignalName;
}

export class JobSet {
  private readonly jobs = new Map<string, Job>();
  private shuttingDown = false;
  private sweepQueued = false;
  private allDoneWaiters: Array<() => void> = [];

  constructor(private readonly opts: JobSetOptions) {
    // During a shutdown, any exit may leave a stop hook with nothing left to wait for.
    opts.bus.subscribe((e) => {
      if (this.shuttingDown && (e.code === 'exitSuccess' || e.code === 'exitFailed' || e.code === 'stopped')) this.queueSweep();
    });
  }

  list(): Job[] {
    return [...this.jobs.values()];
  }
  get(name: string): Job | undefined {
    return this.jobs.get(name);
  }
  configs(): JobConfig[] {
    return this.list().map((j) => j.config);
  }

  /** Creates and subscribes jobs (call before publishing `startup`). */
  add(configs: readonly JobConfig[]): Job[] {
    const created = configs.map((c) => new Job(c, this.contextFor(c)));
    for (const job of created) this.jobs.set(job.name, job);
    for (const job of created) job.start();
    return created;
  }

  /** Stops and forgets a job (reload removed or changed it). */
  async remove(name: string): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) return;
    await job.stop();
    if (this.jobs.get(name) === job) this.jobs.delete(name);
  }

  allComplete(): boolean {
    return this.jobs.size > 0 && this.list().every((j) => j.phase === 'complete');
  }

  /** Resolves once every job has completed (never, for an empty set: nothing would end it). */
  whenAllComplete(): Promise<void> {
    if (this.allComplete()) return Promise.resolve();
    return new Promise((r) => this.allDoneWaiters.push(r));
  }

  /** Marks the shutdown; the caller publishes `shutdown` on the bus. */
  beginShutdown(): void {
    this.shuttingDown = true;
    this.queueSweep();
  }

  private contextFor(config: JobConfig): JobContext {
    const { bus, log, killGraceMs, stopSignal } = this.opts;
    return {
      bus,
      log,
      killGraceMs,
      stopSignal,
      hooks: this.opts.hooksFor?.(config),
      isComplete: (name) => {
        const j = this.jobs.get(name);
        return !j || j.phase === 'complete';
      },
      stoppingHooks: (name) => stoppingHooksOf(name, this.configs()),
      stopJob: (name) => void this.jobs.get(name)?.stop(),
      onComplete: () => this.onJobComplete(),
    };
  }

  private onJobComplete(): void {
    if (this.shuttingDown) this.queueSweep();
    if (!this.allComplete()) return;
    const waiters = this.allDoneWaiters;
    this.allDoneWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * After every event so far has been delivered, a dormant stop hook whose sources have all
   * completed can never fire again: complete it, so the shutdown does not wait for it.
   */
  private queueSweep(): void {
    if (this.sweepQueued) return;
    this.sweepQueued = true;
    void this.opts.bus.idle().then(() => {
      this.sweepQueued = false;
      for (const job of this.list()) {
        const w = job.config.when;
        if (w.kind !== 'event' || !isStopHook(w) || !job.isDormant) continue;
        if (w.sources.every((s) => { const src = this.jobs.get(s); return !src || src.phase === 'complete'; })) {
          this.opts.log.debug(`${job.name}: ${w.sources.join(', ')} completed without triggering it; completing`);
          void job.stop();
        }
      }
    });
  }
}
