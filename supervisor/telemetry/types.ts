/**
 * What the rest of the supervisor sees of telemetry, without prom-client: the recorder interface,
 * its no-op, the service discovery registers, and the handle `current.ts` hands out. Jobs load
 * this at every start; the prom-client-backed `Telemetry` (index.ts) is loaded only when the
 * config has a `telemetry` block.
 */

export interface TelemetryRecorder {
  /** Every event published on the bus. */
  event(code: string, source: string): void;
  /** A job's process was restarted after exiting. */
  jobRestart(job: string): void;
  /** One health check run of a job, its duration and outcome. */
  healthCheck(job: string, seconds: number, passed: boolean): void;
  /** How many instances a watch currently sees. */
  watchInstances(watch: string, count: number): void;
  /** An answered control-socket request (the control server's `onRequest`). */
  controlRequest(path: string, status: number): void;
}

export const noopRecorder: TelemetryRecorder = {
  event() {},
  jobRestart() {},
  healthCheck() {},
  watchInstances() {},
  controlRequest() {},
};

/** What discovery registers in Consul for the telemetry endpoint (ContainerPilot's fixed values). */
export interface TelemetryService {
  name: 'containerpilot';
  port: number;
  /** `telemetry.interfaces`, for discovery to resolve the advertised address. */
  interfaces: string[];
  /** `telemetry.tags`, plus the supervisor version as ContainerPilot adds it. */
  tags: string[];
  ttlMs: number;
  heartbeatMs: number;
  /** The TTL check passes while this is true: the server is listening. */
  isHealthy(): boolean;
}

/** The supervisor's telemetry as jobs, watches, the control socket and discovery use it. */
export interface TelemetryHandle {
  readonly enabled: boolean;
  readonly recorder: TelemetryRecorder;
  /** The control plane's `putMetric`. Rejects (422) unknown names, or any name when telemetry is off. */
  putMetrics(values: Record<string, number>): void;
  metricNames(): string[];
  service(): TelemetryService | null;
}
