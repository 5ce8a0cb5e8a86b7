/**
 * The supervisor's own metrics. Jobs, watches, the event bus and the control server report through
 * this narrow interface (types.ts); with telemetry off they get `noopRecorder`.
 * Names follow ContainerPilot where it had the metric (`containerpilot_events`,
 * `containerpilot_control_http_requests`, `containerpilot_watch_instances`).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TelemetryRecorder } from './types.js';

export type { TelemetryRecorder } from './types.js';

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
