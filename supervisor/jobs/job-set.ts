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
  /** In config order. Names may repeat (ContainerPilot runs two jobs of one name; so do we). */
  private jobs: Job[] = [];
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
    return [...this.jobs];
  }
  /** The first job of that name (the config's first, where names repeat). */
  get(name: string): Job | undefined {
    return this.jobs.find((j) => j.name === name);
  }
  private named(name: string): Job[] {
    return this.jobs.filter((j) => j.name === name);
  }
  configs(): JobConfig[] {
    return this.list().map((j) => j.config);
  }

  /** Creates and subscribes jobs (call before publishing `startup`). */
  add(configs: readonly JobConfig[]): Job[] {
    const created = configs.map((c) => new Job(c, this.contextFor(c)));
    this.jobs.push(...created);
    for (const job of created) job.start();
    return created;
  }

  /** Stops and forgets the jobs of that name (reload removed or changed them). */
  async remove(name: string): Promise<void> {
    const jobs = this.named(name);
    await Promise.all(jobs.map((j) => j.stop()));
    this.jobs = this.jobs.filter((j) => !jobs.includes(j));
  }

  allComplete(): boolean {
    return this.jobs.length > 0 && this.jobs.every((j) => j.phase === 'complete');
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
      isComplete: (name) => this.named(name).every((j) => j.phase === 'complete'),
      stoppingHooks: (name) => stoppingHooksOf(name, this.configs()),
      stopJob: (name) => this.named(name).forEach((j) => void j.stop()),
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
        if (w.sources.every((s) => this.named(s).every((src) => src.phase === 'complete'))) {
          this.opts.log.debug(`${job.name}: ${w.sources.join(', ')} completed without triggering it; completing`);
          void job.stop();
        }
      }
    });
  }
}
