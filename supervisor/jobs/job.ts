/**
 * One job: ContainerPilot v3's state machine (jobs/jobs.go) on an event bus.
 *
 * - Starts on its `when` (`startup` by default; `once` = one start, `each` = every event; signal
 *   sources start it on every signal), or every `interval` (a run still going at the next tick is
 *   not started twice).
 * - `restarts` (0, N, unlimited) restart it after it exits, with back-off after quick exits.
 * - It completes ("halts") when it exits with no restarts and no starts left, on `shutdown`
 *   (pre/post-stop hooks stay to run once), on its `when.timeout`, or when removed by a reload.
 * - Every exit publishes `exitSuccess`/`exitFailed`; health checks publish `healthy`/`unhealthy`
 *   after every check, as ContainerPilot does.
 * - Completing runs the stop sequence (job-stop.ts): `stopping`, hooks, SIGTERM, SIGKILL, `stopped`.
 */
import type { JobConfig } from '../config/model.js';
import type { SupervisorEvent } from '../events/bus.js';
import type { ChildHandle, ExitInfo } from '../process/spawn.js';
import { spawnProcess } from '../process/spawn.js';
import { RestartBackoff } from './backoff.js';
import { exitText } from './exit-text.js';
import { HealthLoop } from './job-health.js';
import { runStopSequence } from './job-stop.js';
import type { JobContext, JobInfo, JobStatus } from './types.js';
import { GLOBAL, isSignalWhen, isStopHook, matchesStart } from './when.js';

const UNLIMITED = -1;

export type JobPhase = 'active' | 'stopping' | 'complete';

export class Job implements JobInfo {
  status: JobStatus = 'idle';
  phase: JobPhase = 'active';
  /** How many times its process was spawned. */
  runs = 0;
  restarts = 0;
  lastExit: ExitInfo | undefined;

  child: ChildHandle | undefined;
  private startsRemain: number;
  private restartsRemain: number;
  private listening = true;
  private pendingRun = false;
  private started = false;
  private readonly backoff = new RestartBackoff();
  private restartTimer: NodeJS.Timeout | undefined;
  private intervalTimer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
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
    const w = config.when;
    this.startsRemain = w.kind === 'event' && w.mode === 'each' ? UNLIMITED : 1;
    this.restartsRemain = config.restarts === 'unlimited' ? UNLIMITED : config.restarts;
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
    if (w.kind === 'interval') this.intervalTimer = setInterval(() => this.onTick(), w.intervalMs);
    if (w.kind === 'event' && w.timeoutMs > 0) this.startTimer = setTimeout(() => this.onStartTimeout(), w.timeoutMs);
    this.health?.start();
  }

  /** Delivers an event directly (a job added by a reload gets the `startup` it missed). */
  deliver(e: SupervisorEvent): void {
    this.onEvent(e);
  }

  /** Completes the job now: no more starts or restarts; runs the stop sequence. */
  stop(): Promise<void> {
    this.startsRemain = 0;
    this.restartsRemain = 0;
    this.listening = false;
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
    if (!this.listening || !matchesStart(this.config.when, e)) return;
    if (isSignalWhen(this.config.when)) return this.startExec();
    this.onStartEvent();
  }

  private onStartEvent(): void {
    if (this.startsRemain === 0) {
      this.listening = false;
      return this.halt();
    }
    if (this.startsRemain !== UNLIMITED) {
      this.startsRemain--;
      // Do not take the start event again while this run is still going.
      if (this.startsRemain === 0 || this.restartsRemain === 0) this.listening = false;
    }
    this.startExec();
  }

  private onTick(): void {
    if (this.phase !== 'active' || !this.started) return;
    if (this.isRunning) {
      this.ctx.log.debug(`${this.name} still running at interval, not started again`);
      return;
    }
    if (!this.restartPermitted()) {
      this.ctx.log.debug(`interval expired but restart not permitted: ${this.name}`);
      this.listening = false;
      return this.halt();
    }
    if (this.restartsRemain > 0) this.restartsRemain--;
    this.restarts++;
    this.startExec();
  }

  private onStartTimeout(): void {
    this.startTimer = undefined;
    if (this.started || this.phase !== 'active') return;
    this.ctx.bus.publish({ code: 'timerExpired', source: this.name });
    this.stop();
  }

  private onQuit(): void {
    this.restartsRemain = 0;
    this.clearRestart();
    if (isStopHook(this.config.when) && this.config.exec) {
      // Pre/post-stop hooks ignore the shutdown: they still run once for the job they follow.
      if (this.startsRemain === UNLIMITED) this.startsRemain = 1;
      if (this.startsRemain > 0) this.listening = true;
      return;
    }
    this.startsRemain = 0;
    this.listening = false;
    this.halt();
  }

  private onMaintenance(enter: boolean): void {
    if (enter) this.status = 'maintenance';
    else if (this.status === 'maintenance') this.status = this.started ? 'unknown' : 'idle';
    this.ctx.hooks?.onMaintenance?.(this, enter);
  }

  startExec(): void {
    if (this.startTimer) clearTimeout(this.startTimer);
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
      timeoutMs: this.execTimeoutMs(),
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

  /** Interval jobs without a `timeout` are bounded by their interval, as in ContainerPilot. */
  private execTimeoutMs(): number {
    const w = this.config.when;
    if (this.config.timeoutMs > 0) return this.config.timeoutMs;
    return w.kind === 'interval' ? w.intervalMs : 0;
  }

  private onExit(child: ChildHandle, exit: ExitInfo): void {
    if (this.child === child) this.child = undefined;
    this.lastExit = exit;
    const log = this.ctx.log;
    if (exit.startError) log.error(`unable to start ${this.name}: ${exit.startError}`);
    else if (exit.status !== 0) log.error(`${this.name} exited with error: ${exitText(exit)}`);
    else log.debug(`${this.name} exited without error`);
    this.ctx.bus.publish({ code: exit.status === 0 ? 'exitSuccess' : 'exitFailed', source: this.name });
    if (this.phase !== 'active') return; // the stop sequence is waiting for this exit itself
    if (this.pendingRun) {
      this.pendingRun = false;
      return this.startExec();
    }
    if (this.config.when.kind === 'interval') return; // the next tick decides
    if (this.restartPermitted()) {
      if (this.restartsRemain > 0) this.restartsRemain--;
      this.restarts++;
      const delay = this.backoff.delayAfter(exit.durationMs);
      if (delay === 0) return this.startExec();
      log.debug(`${this.name} exited after ${exit.durationMs}ms; restarting in ${delay}ms`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.phase === 'active') this.startExec();
      }, delay);
      return;
    }
    if (this.startsRemain !== 0) return; // waits for its next start event
    log.debug(`job exited but restart not permitted: ${this.name}`);
    this.listening = false;
    this.status = 'unknown';
    this.halt();
  }

  private restartPermitted(): boolean {
    return this.restartsRemain === UNLIMITED || this.restartsRemain > 0;
  }

  private clearRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private halt(): void {
    if (this.phase !== 'active') return;
    this.phase = 'stopping';
    this.listening = false;
    this.pendingRun = false;
    this.clearRestart();
    if (this.intervalTimer) clearInterval(this.intervalTimer);
    if (this.startTimer) clearTimeout(this.startTimer);
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
