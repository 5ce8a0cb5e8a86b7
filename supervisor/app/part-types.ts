/**
 * The interfaces of the optional parts of `autopilot run` (Consul discovery, watches, the control
 * socket, telemetry) and of what the app hands them. A part (`supervisor/<part>/part.ts`) depends
 * on this file only, never on the app or another part; `parts.ts` loads them.
 */
import type { Config, JobConfig, WatchConfig } from '../config/model.js';
import type { EventBus } from '../events/bus.js';
import type { LogWriter } from '../log/logger.js';
import type { JobHooks, JobInfo } from '../jobs/types.js';

export interface AppContext {
  bus: EventBus;
  log: LogWriter;
  /** The current config (changes on reload). */
  config(): Config;
  /** Snapshot of the jobs and their status (control socket, telemetry). */
  jobs(): JobInfo[];
  /** The running watches and what each currently sees (empty without Consul). */
  watches(): ReadonlyArray<WatchView>;
  /** Re-reads the config; keeps unchanged jobs running. Rejects with the config error. */
  reload(): Promise<void>;
  /** Starts the stop sequence, as SIGTERM does. */
  shutdown(): void;
}

export interface AppPart {
  start(ctx: AppContext): void | Promise<void>;
  /** The config was reloaded. */
  reload?(config: Config): void | Promise<void>;
  /** Called after every job has stopped; bounded by the app. */
  stop(): void | Promise<void>;
}

/** A watch as the status endpoints show it. */
export interface WatchView {
  readonly name: string;
  readonly config: WatchConfig;
  instances(): ReadonlyArray<{ address: string; port: number; id: string }>;
}

export interface WatchesPart extends AppPart {
  list(): ReadonlyArray<WatchView>;
}

export interface DiscoveryPart extends AppPart {
  /** Lifecycle hooks for one job (register on start, heartbeat on passing checks, deregister). */
  hooksFor(job: JobConfig): JobHooks | undefined;
}

export interface AppParts {
  discovery?: DiscoveryPart;
  watches?: WatchesPart;
  control?: AppPart;
  telemetry?: AppPart;
}
