/**
 * `autopilot run`: wires the bus, the logger, the jobs and the optional parts; turns signals into
 * events; runs until every job has completed (or a SIGTERM/SIGINT stop has finished) and returns
 * the exit code (rule in supervisor/jobs/main-job.ts).
 */
import type { Config } from '../config/model.js';
import { configForLog } from '../config/redact.js';
import { EventBus } from '../events/bus.js';
import { describeEvent as describe } from '../events/describe.js';
import { Logger } from '../log/logger.js';
import { exitCodeFor, mainJobName } from '../jobs/main-job.js';
import { JobSet } from '../jobs/job-set.js';
import type { Job } from '../jobs/job.js';
import { within } from '../timers/timers.js';
import { HOOK_TIMEOUT_MS, type JobInfo } from '../jobs/types.js';
import { killLeftovers, snapshotDescendants, type Snapshot } from '../process/leftovers.js';
import type { SignalName } from '../process/signal-group.js';
import type { AppContext, AppPart, AppParts } from './part-types.js';
import { installSignalHandlers } from './signals.js';
import { diffJobs } from './reload-diff.js';
import { startReaper, type ReaperHandle } from './start-reaper.js';
import { armBackstop, backstopLimitMs } from './backstop.js';

/** Bound on stopping the parts (in parallel) once every job has stopped. */
const PARTS_STOP_TIMEOUT_MS = 2_000;

/**
 * App's lifecycle. Two events move it on: `stop` (SIGTERM/SIGINT, the ContainerPilot 2.x main
 * job exiting) and `finish` (every job has completed: stop the parts, compute the exit code).
 * They are independent, so a stop can still arrive while finishing.
 */
export type AppPhase = 'running' | 'stopping' | 'finishing' | 'finishing-stopped';

/** The allowed transitions; any other is a bug. */
const NEXT: Readonly<Record<AppPhase, Partial<Record<'stop' | 'finish', AppPhase>>>> = {
  running: { stop: 'stopping', finish: 'finishing' },
  stopping: { finish: 'finishing-stopped' },
  finishing: { stop: 'finishing-stopped' },
  'finishing-stopped': {},
};

export interface AppOptions {
  config: Config;
  /** Re-reads the config for `reload` (throws on a bad config). Without it, reload fails. */
  loadConfig?: () => Config;
  parts?: AppParts;
  /** Single-command mode: forward signals to the command, exit with its code. */
  initMode?: boolean;
  /** Default true; tests driving the app in-process may turn it off. */
  installSignals?: boolean;
  /**
   * ContainerPilot 2.x semantics for the command given after `--`: when this job (the 2.x main
   * application) completes, everything else is stopped too and its exit code is the result.
   */
  exitWithJob?: string;
  logger?: Logger;
  /**
   * At the end, SIGKILL every process it started that still runs (process/leftovers.ts), so none
   * outlives `autopilot run`. The CLI sets it; tests driving the app in-process leave it off
   * (the test runner's own children would count as ours).
   */
  killLeftovers?: boolean;
}

export class App {
  readonly bus: EventBus;
  readonly log: Logger;
  readonly jobs: JobSet;
  private config: Config;
  private readonly parts: AppParts;
  private phase: AppPhase = 'running';
  /** Stopped by a signal (not by the main job): decides the exit-code rule. */
  private signalled = false;
  private mainAtSignal: { running: boolean; lastExit: Job['lastExit'] } | undefined;
  private stopSignal: SignalName = 'SIGTERM';
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private uninstallSignals: (() => void) | undefined;
  private reaper: ReaperHandle | null = null;
  private cancelBackstop: (() => void) | undefined;
  /** Our descendants when the stop began: a setsid'd one may lose its parent during the stop. */
  private atStop: Snapshot | undefined;
  private resolveStopRequested!: () => void;
  /** Resolves at the stop (a config without jobs runs until then). */
  private readonly stopRequested = new Promise<void>((r) => (this.resolveStopRequested = r));
  /** The backstop fired: run() ends without waiting for the jobs. */
  private forcedOut = false;
  private resolveForced!: () => void;
  private readonly forced = new Promise<void>((r) => (this.resolveForced = r));

  constructor(private readonly opts: AppOptions) {
    this.config = opts.config;
    this.parts = opts.parts ?? {};
    this.log = opts.logger ?? new Logger(opts.config.logging);
    this.bus = new EventBus({ onError: (err, e) => this.log.error(`handling ${describe(e)} failed: ${(err as Error).stack ?? String(err)}`) });
    const discovery = this.parts.discovery;
    this.jobs = new JobSet({
      bus: this.bus,
      log: this.log,
      killGraceMs: () => this.config.stopTimeoutMs,
      hooksFor: discovery ? (c) => discovery.hooksFor(c) : undefined,
      stopSignal: () => this.stopSignal,
    });
    this.bus.subscribe((e) => this.log.debug(`event: ${describe(e)}`)); // level checked per line: reload may change it
    const last = opts.exitWithJob;
    if (last) {
      this.bus.subscribe((e) => {
        // A reload replacing the job stops it too: that is not the application ending.
        if (e.code === 'stopped' && e.source === last && !this.stopping && !this.reloading) this.beginStop(`${last} exited`);
      });
    }
  }

  /** A stop was requested (it may be finishing too). */
  private get stopping(): boolean {
    return this.phase === 'stopping' || this.phase === 'finishing-stopped';
  }

  private get finishing(): boolean {
    return this.phase === 'finishing' || this.phase === 'finishing-stopped';
  }

  private advance(event: 'stop' | 'finish'): void {
    const next = NEXT[this.phase][event];
    if (next === undefined) throw new Error(`app: ${event} while ${this.phase}`);
    this.phase = next;
  }

  get context(): AppContext {
    return {
      bus: this.bus,
      log: this.log,
      config: () => this.config,
      jobs: () => this.jobs.list() as JobInfo[],
      watches: () => this.parts.watches?.list() ?? [],
      reload: () => this.reload(),
      shutdown: () => this.shutdown('SIGTERM'),
    };
  }

  /** Runs to the end; resolves with the process exit code. */
  async run(): Promise<number> {
    this.log.debug(`loaded config: ${configForLog(this.config)}`);
    for (const w of this.config.warnings ?? []) this.log.warn(w);
    this.reaper = await startReaper(this.log);
    if (this.opts.installSignals !== false) {
      this.uninstallSignals = installSignalHandlers({ stop: (sig) => this.shutdown(sig), other: (sig) => this.onSignal(sig) });
    }
    await this.startPart(this.parts.discovery);
    // A SIGTERM during start-up means: start nothing more, just stop.
    if (!this.stopping) this.jobs.add(this.config.jobs);
    for (const part of [this.parts.watches, this.parts.control, this.parts.telemetry]) await this.startPart(part);
    if (!this.stopping) this.bus.publish({ code: 'startup', source: 'global' });

    for (;;) {
      if (this.jobs.list().length > 0) await Promise.race([this.jobs.whenAllComplete(), this.forced]);
      else if (!this.stopping) await this.stopRequested; // no jobs: run until told to stop
      if (this.forcedOut || !this.reloading) break;
      await this.reloading.catch(() => undefined);
      if (this.jobs.allComplete() || (this.stopping && this.jobs.list().length === 0)) break;
    }
    return this.finish();
  }

  /** SIGTERM/SIGINT: publish `shutdown`; a second signal kills every job's process group now. */
  shutdown(sig: SignalName): void {
    if (this.stopping) {
      this.log.warn(`received ${sig} again: killing all jobs now`);
      for (const job of this.jobs.list()) job.child?.signal('SIGKILL');
      return;
    }
    this.signalled = true;
    const main = this.mainJob();
    if (main) this.mainAtSignal = { running: main.isRunning, lastExit: main.lastExit };
    if (this.opts.initMode) this.stopSignal = sig; // forward what we got, as an init does
    this.beginStop(`received ${sig}`);
  }

  /** Publishes `shutdown` and arms the backstop; `signalled` decides the exit-code rule. */
  private beginStop(why: string): void {
    this.advance('stop');
    if (this.opts.killLeftovers) this.atStop = snapshotDescendants();
    this.log.debug(`${why}: shutting down`);
    this.jobs.beginShutdown();
    this.bus.publish({ code: 'shutdown', source: 'global' });
    this.resolveStopRequested();
    const limit = backstopLimitMs(this.config.stopTimeoutMs, this.config.jobs.map((j) => j.stopTimeoutMs), HOOK_TIMEOUT_MS);
    this.cancelBackstop = armBackstop(
      limit,
      () => {
        this.log.error(`stop did not finish within ${limit}ms; killing all jobs`);
        for (const job of this.jobs.list()) {
          job.child?.signal('SIGKILL');
          void job.stop();
        }
      },
      () => {
        this.forcedOut = true;
        this.resolveForced();
      },
    );
  }

  private mainJob(): Job | undefined {
    const name = mainJobName(this.config.jobs);
    return name ? this.jobs.get(name) : undefined;
  }

  private onSignal(sig: 'SIGHUP' | 'SIGUSR1' | 'SIGUSR2'): void {
    if (this.opts.initMode) {
      for (const job of this.jobs.list()) job.child?.signal(sig);
      return;
    }
    if (sig === 'SIGUSR1') return this.log.reopen();
    this.bus.publish({ code: 'signal', source: sig });
  }

  /** Re-reads the config; bursts are serialized and coalesced (one more pass covers them all). */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    const run = async (): Promise<void> => {
      do {
        this.reloadAgain = false;
        await this.reloadOnce();
      } while (this.reloadAgain && !this.stopping);
    };
    this.reloading = run().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async reloadOnce(): Promise<void> {
    if (this.stopping || this.finishing) return;
    if (!this.opts.loadConfig) throw new Error('reload is not available: no config file');
    let next: Config;
    try {
      next = this.opts.loadConfig();
    } catch (err) {
      this.log.error(`error initializing config: ${(err as Error).message}`);
      throw err;
    }
    this.log.info('reloading configuration');
    const previousOutput = this.config.logging.output;
    this.log.configure(next.logging, previousOutput);
    const diff = diffJobs(this.jobs.configs(), next.jobs);
    await Promise.all(diff.stop.map((name) => this.jobs.remove(name)));
    this.config = next;
    if (this.stopping) return;
    const created = this.jobs.add(diff.start);
    // New jobs missed the `startup` event; deliver it to them alone.
    for (const job of created) job.deliver({ code: 'startup', source: 'global' });
    for (const part of Object.values(this.parts) as AppPart[]) await part.reload?.(next);
    this.log.debug(`reload: kept ${diff.keep.length}, stopped ${diff.stop.length}, started ${diff.start.length}`);
  }

  private killLeftovers(): void {
    const { groups, pids } = killLeftovers(this.atStop);
    if (groups.length + pids.length === 0) return;
    const what = [groups.length ? `process groups ${groups.join(', ')}` : '', pids.length ? `processes ${pids.join(', ')}` : ''].filter(Boolean).join(' and ');
    this.log.warn(`killed ${what}, started by the supervisor and still running after the stop`);
  }

  private async startPart(part: AppPart | undefined): Promise<void> {
    if (part) await part.start(this.context);
  }

  private async finish(): Promise<number> {
    this.advance('finish');
    this.cancelBackstop?.();
    // All at once and bounded together: a hung Consul must not add its wait to the others'.
    const parts = Object.entries(this.parts) as Array<[string, AppPart]>;
    const stopped = await Promise.all(parts.map(([, part]) => within(Promise.resolve().then(() => part.stop()), PARTS_STOP_TIMEOUT_MS)));
    const late = parts.filter((_, i) => !stopped[i]).map(([name]) => name);
    if (late.length > 0) this.log.warn(`${late.join(', ')} did not stop within ${PARTS_STOP_TIMEOUT_MS}ms; exiting anyway`);
    await this.bus.idle();
    if (this.opts.killLeftovers) this.killLeftovers();
    this.uninstallSignals?.();
    this.reaper?.stop();
    const code = exitCodeFor({ main: this.mainJob(), signalled: this.signalled, atSignal: this.mainAtSignal, initMode: this.opts.initMode === true });
    this.log.debug(`all jobs complete; exiting with ${code}`);
    this.log.close();
    return code;
  }
}
