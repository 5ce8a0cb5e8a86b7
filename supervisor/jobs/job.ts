/**
 * One job: ContainerPilot v3's state machine (jobs/jobs.go) on the event bus. Starts on its
 * `when`, restarts within its budget (start-budget.ts) with back-off, publishes its exits, and
 * completes through the stop sequence (job-stop.ts). Semantics in README.md.
 */
import type { JobConfig } from '../config/model.js';
import type { SupervisorEvent } from '../events/bus.js';
import type { ChildHandle, ExitInfo } from '../process/spawn.js';
import { spawnProcess } from '../process/spawn.js';
import { signalExitCode, type SignalName } from '../process/signal-group.js';
import { currentTelemetry } from '../telemetry/current.js';
import { after, every, type Timer } from '../timers/timers.js';
import { RestartBackoff } from './restart-backoff.js';
import { StartBudget } from './start-budget.js';
import { exitText } from './exit-text.js';
import { HealthLoop } from './health-loop.js';
import { runStopSequence } from './job-stop.js';
import type { JobContext, JobInfo, JobStatus } from './types.js';
import { execTimeoutMs, GLOBAL, isSignalWhen, isStopHook, matchesStart } from './when.js';

export type JobPhase = 'active' | 'stopping' | 'complete';

export class Job implements JobInfo {
  status: JobStatus = 'idle';
  phase: JobPhase = 'active';
  /** How many times its process was spawned. */
  runs = 0;
  restarts = 0;
  lastExit: ExitInfo | undefined;
  /** The signal the stop sequence sent its process, if it sent one: an exit by it is a stop. */
  stopSignalSent: SignalName | undefined;

  child: ChildHandle | undefined;
  private readonly budget: StartBudget;
  private pendingRun = false;
  /** The sources whose start event has come, for a `when` with `all: true`. */
  private readonly sourcesHeard = new Set<string>();
  private started = false;
  private readonly backoff = new RestartBackoff();
  private restartTimer: Timer | undefined;
  private intervalTimer: Timer | undefined;
  private startTimer: Timer | undefined;
  private readonly health: HealthLoop | undefined;
  private unsubscribe: (() => void) | undefined;
  private resolveDone!: () => void;
  /** Resolves when the job has completed. */
  readonly done = new Promise<void>((r) => (this.resolveDone = r));
  /** Listeners for events while stopping (the stop sequence waits on hook jobs). */
  readonly stopWatchers = new Set<(e: SupervisorEvent) => void>();

  constructor(
    readonly config: JobConfig,
    readonly ctx: JobContext,
  ) {
    this.budget = new StartBudget(config);
    this.health = config.health ? new HealthLoop(this, config.health) : undefined;
  }

  get name(): string {
    return this.config.name;
  }
  get pid(): number | undefined {
    return this.child?.isRunning() ? this.child.pid : undefined;
  }
  get isRunning(): boolean {
    return this.child?.isRunning() ?? false;
  }
  /** Active, but nothing running or scheduled: only an event can wake it. */
  get isDormant(): boolean {
    return this.phase === 'active' && !this.isRunning && !this.restartTimer && !this.pendingRun;
  }

  /** Subscribes to the bus and arms the job's timers. Call before `startup` is published. */
  start(): void {
    this.unsubscribe = this.ctx.bus.subscribe((e) => this.onEvent(e));
    const w = this.config.when;
    if (w.kind === 'interval') this.intervalTimer = every(w.intervalMs, () => this.onTick());
    if (w.kind === 'event' && w.timeoutMs > 0) this.startTimer = after(w.timeoutMs, () => this.onStartTimeout());
    this.health?.start();
  }

  /** Delivers an event directly (a job added by a reload gets the `startup` it missed). */
  deliver(e: SupervisorEvent): void {
    this.onEvent(e);
  }

  /** Completes the job now: no more starts or restarts; runs the stop sequence. */
  stop(): Promise<void> {
    this.budget.exhaust();
    this.halt();
    return this.done;
  }

  private onEvent(e: SupervisorEvent): void {
    if (this.phase === 'complete') return;
    if (this.phase === 'stopping') {
      for (const w of [...this.stopWatchers]) w(e);
      return;
    }
    if (e.source === GLOBAL) {
      if (e.code === 'shutdown') return this.onQuit();
      if (e.code === 'enterMaintenance' || e.code === 'exitMaintenance') this.onMaintenance(e.code === 'enterMaintenance');
    }
    if (!this.budget.listening || !matchesStart(this.config.when, e)) return;
    if (isSignalWhen(this.config.when)) return this.startExec();
    if (this.config.when.kind === 'event' && this.config.when.all) {
      // `all: true`: each source counts once; the job starts when the last of them has spoken.
      this.sourcesHeard.add(e.source);
      if (this.sourcesHeard.size < this.config.when.sources.length) {
        this.ctx.log.debug(`${this.name}: ${e.code} from ${e.source}; waiting for ${this.config.when.sources.filter((s) => !this.sourcesHeard.has(s)).join(', ')}`);
        return;
      }
    }
    this.onStartEvent();
  }

  private onStartEvent(): void {
    if (this.budget.takeStart()) this.startExec();
    else this.halt();
  }

  private onTick(): void {
    if (this.phase !== 'active' || !this.started) return;
    if (this.isRunning) {
      this.ctx.log.debug(`${this.name} still running at interval, not started again`);
      return;
    }
    if (!this.budget.canRestart()) {
      this.ctx.log.debug(`interval expired but restart not permitted: ${this.name}`);
      void this.stop();
      return;
    }
    this.budget.takeRestart();
    this.restarts++;
    currentTelemetry().recorder.jobRestart(this.name);
    this.startExec();
  }

  private onStartTimeout(): void {
    this.startTimer = undefined;
    if (this.started || this.phase !== 'active') return;
    this.ctx.bus.publish({ code: 'timerExpired', source: this.name });
    void this.stop();
  }

  private onQuit(): void {
    this.clearRestart();
    // Pre/post-stop hooks ignore the shutdown: they still run once for the job they follow.
    const stays = this.budget.quit(isStopHook(this.config.when) && this.config.exec !== undefined);
    if (!stays) this.halt();
  }

  private onMaintenance(enter: boolean): void {
    if (enter) this.status = 'maintenance';
    else if (this.status === 'maintenance') this.status = this.started ? 'unknown' : 'idle';
    this.ctx.hooks?.onMaintenance?.(this, enter);
  }

  startExec(): void {
    this.startTimer?.clear();
    this.startTimer = undefined;
    this.started = true;
    if (this.status !== 'maintenance') this.status = 'unknown';
    const exec = this.config.exec;
    if (!exec || exec.length === 0) {
      this.ctx.hooks?.onStart?.(this);
      return;
    }
    if (this.isRunning) {
      this.pendingRun = true; // run again right after this run: events are coalesced, never lost
      return;
    }
    this.runs++;
    const log = this.ctx.log;
    const child = spawnProcess({
      name: this.name,
      argv: exec,
      timeoutMs: execTimeoutMs(this.config),
      raw: this.config.logging.raw,
      jobPidName: this.name,
      onLine: (line, pid) => log.info(line, { job: this.name, pid }),
      onTimeout: (msg) => log.warn(msg),
    });
    this.child = child;
    log.debug(`${this.name}.Run start`, child.pid !== undefined ? { pid: child.pid } : undefined);
    this.ctx.hooks?.onStart?.(this);
    void child.exited.then((exit) => this.onExit(child, exit));
  }

  private onExit(child: ChildHandle, exit: ExitInfo): void {
    if (this.child === child) this.child = undefined;
    this.lastExit = exit;
    const log = this.ctx.log;
    if (exit.startError) log.error(`unable to start ${this.name}: ${exit.startError}`);
    else if (this.stoppedBySupervisor(exit)) log.info(`${this.name} stopped (${this.stopSignalSent})`);
    else if (exit.status !== 0) log.error(`${this.name} exited with error: ${exitText(exit)}`);
    else log.debug(`${this.name} exited without error`);
    this.ctx.bus.publish({ code: exit.status === 0 ? 'exitSuccess' : 'exitFailed', source: this.name });
    if (this.phase !== 'active') return; // the stop sequence is waiting for this exit itself
    if (this.pendingRun) {
      this.pendingRun = false;
      return this.startExec();
    }
    if (this.config.when.kind === 'interval') return; // the next tick decides
    if (this.budget.canRestart()) {
      this.budget.takeRestart();
      this.restarts++;
      currentTelemetry().recorder.jobRestart(this.name);
      const delay = this.backoff.delayAfter(exit.durationMs);
      if (delay === 0) return this.startExec();
      log.debug(`${this.name} exited after ${exit.durationMs}ms; restarting in ${delay}ms`);
      this.restartTimer = after(delay, () => {
        this.restartTimer = undefined;
        if (this.phase === 'active') this.startExec();
      });
      return;
    }
    if (this.budget.startsLeft) return; // waits for its next start event
    log.debug(`job exited but restart not permitted: ${this.name}`);
    this.status = 'unknown';
    void this.stop();
  }

  /**
   * True when the process ended by the signal the stop sequence sent (or with the shell's code for
   * it, 128+N): a stop, which the log reports as one and not as an error.
   */
  private stoppedBySupervisor(exit: ExitInfo): boolean {
    const sent = this.stopSignalSent;
    return sent !== undefined && this.phase !== 'active' && (exit.signal === sent || (exit.signal === null && exit.status === signalExitCode(sent)));
  }

  private clearRestart(): void {
    this.restartTimer?.clear();
    this.restartTimer = undefined;
  }

  private halt(): void {
    if (this.phase !== 'active') return;
    this.phase = 'stopping';
    this.budget.listening = false;
    this.pendingRun = false;
    this.clearRestart();
    this.intervalTimer?.clear();
    this.startTimer?.clear();
    this.intervalTimer = this.startTimer = undefined;
    this.health?.stop();
    void runStopSequence(this).then(() => this.complete());
  }

  private complete(): void {
    this.phase = 'complete';
    this.status = 'completed';
    this.stopWatchers.clear();
    this.unsubscribe?.();
    this.ctx.bus.publish({ code: 'stopped', source: this.name });
    this.resolveDone();
    this.ctx.onComplete?.(this.name);
  }
}
