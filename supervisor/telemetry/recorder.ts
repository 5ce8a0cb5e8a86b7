/**
 * The supervisor's own metrics. Jobs, watches, the event bus and the control server report through
 * this narrow interface; with telemetry off they get `noopRecorder`.
 * Names follow ContainerPilot where it had the metric (`containerpilot_events`,
 * `containerpilot_control_http_requests`, `containerpilot_watch_instances`).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

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

export function createRecorder(registry: Registry): TelemetryRecorder {
  const registers = [registry];
  const events = new Counter({ name: 'containerpilot_events', help: 'count of ContainerPilot events, partitioned by type and source', labelNames: ['code', 'source'], registers });
  const restarts = new Counter({ name: 'containerpilot_job_restarts', help: 'count of job restarts, partitioned by job', labelNames: ['job'], registers });
  const checks = new Histogram({
    name: 'containerpilot_health_check_duration_seconds',
    help: 'duration of job health checks, partitioned by job and result',
    labelNames: ['job', 'result'],
    registers,
  });
  const instances = new Gauge({ name: 'containerpilot_watch_instances', help: 'gauge of instances found for each watch, partitioned by watch name', labelNames: ['service'], registers });
  const control = new Counter({ name: 'containerpilot_control_http_requests', help: 'count of requests to control socket, partitioned by path and HTTP code', labelNames: ['code', 'path'], registers });
  return {
    event: (code, source) => events.inc({ code, source }),
    jobRestart: (job) => restarts.inc({ job }),
    healthCheck: (job, seconds, passed) => checks.observe({ job, result: passed ? 'passed' : 'failed' }, seconds),
    watchInstances: (watch, count) => instances.set({ service: watch }, count),
    controlRequest: (path, status) => control.inc({ code: String(status), path }),
  };
}
