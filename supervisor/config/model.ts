/**
 * The typed, validated model of a supervisor config. The loader (render -> JSON5 -> validate)
 * produces it; every other part of the supervisor reads only this, never raw JSON.
 * Durations are milliseconds. Defaults follow ContainerPilot v3 and are filled in by the
 * validator, so consumers never handle "unset".
 */

export interface Config {
  /** Absent when the config has no `consul` key: discovery is off. */
  consul?: ConsulConfig;
  logging: LoggingConfig;
  /** Global stop timeout (top-level `stopTimeout`, default 5 s). */
  stopTimeoutMs: number;
  control: ControlConfig;
  jobs: JobConfig[];
  watches: WatchConfig[];
  telemetry?: TelemetryConfig;
  /** Things that load but deserve attention (an unknown `when.source`, an accepted misspelling),
   * one line each like an error. The loader fills it; it may be absent in hand-built configs. */
  warnings?: string[];
}

export interface ConsulConfig {
  /** host:port, without scheme. */
  address: string;
  scheme: 'http' | 'https';
  token?: string;
  tls?: ConsulTlsConfig;
}

export interface ConsulTlsConfig {
  cafile?: string;
  capath?: string;
  clientcert?: string;
  clientkey?: string;
  servername?: string;
  /** Verify the server certificate (default true). */
  verify: boolean;
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL' | 'PANIC';
export type LogFormat = 'default' | 'text' | 'json';

export interface LoggingConfig {
  level: LogLevel;
  format: LogFormat;
  /** 'stdout', 'stderr', or a file path. */
  output: string;
}

export interface ControlConfig {
  /** Unix socket path, default /var/run/containerpilot.socket. */
  socket: string;
}

/** What starts a job. */
export type WhenConfig =
  | {
      kind: 'event';
      /** Event sources: 'global' for startup/shutdown, a job name, 'watch.<name>', 'SIGHUP', 'SIGUSR2'.
       * Several sources is an extension: any of them triggers. */
      sources: string[];
      /** The event name (`startup`, `healthy`, `exitSuccess`, `changed`, ...). A `when` naming
       * only `source: "SIGHUP"` or `"SIGUSR2"` gets event `signal`, mode `each`. */
      event: string;
      /** `once`: start the first time the event arrives. `each`: start every time. */
      mode: 'once' | 'each';
      /** 0 = wait forever; otherwise the job gives up (and emits its timeout) after this long. */
      timeoutMs: number;
      /** Extension (`all: true`, with `once` only): start once every source has emitted the event. */
      all?: true;
    }
  | { kind: 'interval'; intervalMs: number };

export type Restarts = number | 'unlimited';

export interface HealthExec {
  kind: 'exec';
  exec: string[];
}
/** Extension: a GET that passes on a status < 400, done in-process (no curl in the image). */
export interface HealthHttp {
  kind: 'http';
  url: string;
}
/** Extension: passes when a TCP connection opens, done in-process. */
export interface HealthTcp {
  kind: 'tcp';
  host: string;
  port: number;
}

/**
 * A `health` block without `exec` (ContainerPilot 3.8 accepts it; 2.x services without
 * `health` translate to it): nothing runs; an advertised job is heartbeated every interval, so
 * Consul always sees it passing, and no `healthy`/`unhealthy` event is published.
 */
export interface HealthNone {
  kind: 'none';
}

export interface HealthConfig {
  check: HealthExec | HealthHttp | HealthTcp | HealthNone;
  /** Period between checks (`health.interval` seconds; 5 s when a job without a port gives none). */
  intervalMs: number;
  /** TTL of the Consul check; required when the job has a port, 0 when not given on a job without one. */
  ttlMs: number;
  /** Per-check timeout; defaults to the interval. */
  timeoutMs: number;
  /** `health.logging.raw`: pass the check's output through unwrapped. The loader always sets it. */
  logging?: { raw: boolean };
}

/** A job with a `port` is a service advertised in Consul. */
export interface ServiceConfig {
  port: number;
  /** `interfaces` as given (a string becomes a one-element list; default ["eth0:inet", "inet"]),
   * resolved to an IP at run time. The loader has checked each spec's syntax. */
  interfaces: string[];
  tags: string[];
  initialStatus?: 'passing' | 'warning' | 'critical';
  enableTagOverride: boolean;
  /** Consul duration string such as '10m', or undefined. */
  deregisterCriticalServiceAfter?: string;
}

export interface JobConfig {
  name: string;
  /** argv; never run through a shell. Absent for jobs that only advertise a service. */
  exec?: string[];
  /** Kill the process group after this long; 0 = no timeout. */
  timeoutMs: number;
  /** How long the stop sequence waits for this job's `stopping` hooks. */
  stopTimeoutMs: number;
  /** 0 ('never'), N, or 'unlimited'. */
  restarts: Restarts;
  when: WhenConfig;
  health?: HealthConfig;
  service?: ServiceConfig;
  logging: { raw: boolean };
}

export interface WatchConfig {
  /** The watch's name as written (`backend`); events come from source `watch.<name>`. */
  name: string;
  /** What is watched: a Consul service, or (extension) a KV key or prefix. */
  target: { kind: 'service'; service: string; tag?: string; dc?: string } | { kind: 'kv'; key: string; prefix: boolean; dc?: string };
  /** Lower bound between queries; also the poll period if blocking queries are unavailable. */
  intervalMs: number;
  /** false: poll every `intervalMs` without blocking queries (ContainerPilot 3). Absent = true. */
  blocking?: boolean;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface MetricConfig {
  namespace: string;
  subsystem: string;
  name: string;
  help: string;
  type: MetricType;
}

export interface TelemetryConfig {
  port: number;
  interfaces: string[];
  tags: string[];
  metrics: MetricConfig[];
}
