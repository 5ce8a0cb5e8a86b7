/**
 * Shared types of the job state machine and the narrow hooks other parts plug into
 * (discovery registers/heartbeats/deregisters through JobHooks; nothing else reaches into a Job).
 */
import type { JobConfig } from '../config/model.js';
import type { EventBus, SupervisorEvent } from '../events/bus.js';
import type { LogWriter } from '../log/logger.js';
import type { SignalName } from '../process/signal-group.js';
import type { ChildHandle } from '../process/spawn.js';

/** ContainerPilot's job status: idle until first started, unknown until a health check ran. */
export type JobStatus = 'idle' | 'unknown' | 'healthy' | 'unhealthy' | 'maintenance' | 'completed';

export interface JobInfo {
  readonly name: string;
  readonly config: JobConfig;
  readonly status: JobStatus;
  /** Pid of the running process, if any. */
  readonly pid: number | undefined;
  /** Times its process was spawned. */
  readonly runs?: number;
  /** Times it was run again under its `restarts` allowance (after an exit, or at an interval tick). */
  readonly restarts?: number;
}

export interface JobHooks {
  /** The job was started (its process spawned, or, for a job without exec, its start event came). */
  onStart?(job: JobInfo): void;
  /** After every health check: a pass is a TTL heartbeat. */
  onHealthCheck?(job: JobInfo, passed: boolean): void;
  onMaintenance?(job: JobInfo, enabled: boolean): void;
  /**
   * In the stop sequence after the `stopping` hooks finished, before SIGTERM (deregistration).
   * Bounded by STOP_HOOK_TIMEOUT_MS: a slow or failing hook never blocks the stop.
   */
  onStop?(job: JobInfo): Promise<void> | void;
}

/**
 * How long the stop sequence waits for `onStop` (deregistration): an agent that hangs or answers
 * slowly must not eat Docker's 10 s grace period; Consul's TTL takes the service down anyway.
 */
export const STOP_HOOK_TIMEOUT_MS = 1_000;

/** The allowance for hooks and parts in the stop's backstop (app/backstop.ts). */
export const HOOK_TIMEOUT_MS = 5_000;

export interface JobContext {
  bus: EventBus;
  log: LogWriter;
  /** SIGTERM-to-SIGKILL grace in the stop sequence (the top-level `stopTimeout`). */
  killGraceMs(): number;
  /** True when `name` is a job that has completed, or is no job at all. */
  isComplete(name: string): boolean;
  /** Jobs hooked on `name`'s `stopping` event (the stop sequence waits for them). */
  stoppingHooks(name: string): string[];
  /** Completes job `name` now (a stopping hook still running when its wait is over). */
  stopJob?(name: string): void;
  hooks?: JobHooks;
  /** Signal sent to stop the process (SIGTERM; init mode forwards the signal it received). */
  stopSignal?(): SignalName;
  /** Called once the job has completed (after its `stopped` event was published). */
  onComplete?(name: string): void;
}

/** What the health loop (health-loop.ts) reads of its job, and the status it sets. */
export interface CheckedJob extends JobInfo {
  status: JobStatus;
  readonly ctx: JobContext;
}

/** What the stop sequence (job-stop.ts) reads of its job, and the signal it records. */
export interface StoppingJob extends JobInfo {
  readonly ctx: JobContext;
  readonly child: ChildHandle | undefined;
  /** The signal sent to its process: an exit by it is a stop. */
  stopSignalSent: SignalName | undefined;
  /** Listeners for events while stopping (the wait for its stopping hooks). */
  readonly stopWatchers: Set<(e: SupervisorEvent) => void>;
}
