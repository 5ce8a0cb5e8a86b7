/**
 * The supervisor's one telemetry instance, for the parts that report to it without being wired to
 * it: jobs and watches call `currentTelemetry().recorder`, the control socket's putmetric calls
 * `putMetrics`, discovery reads `service()`. Inert (no-op recorder, every metric unknown) until
 * the telemetry part installs a configured instance. Loads no prom-client: every `autopilot run`
 * imports this before its first spawn, with or without telemetry.
 */
import { RejectedRequest } from '../../base/errors.js';
import { noopRecorder, type TelemetryHandle } from './types.js';

/** Telemetry off: what `new Telemetry(undefined)` does, without loading prom-client. */
export const inertTelemetry: TelemetryHandle = {
  enabled: false,
  recorder: noopRecorder,
  putMetrics(values) {
    throw new RejectedRequest(`unknown metric ${Object.keys(values).join(', ')} (no telemetry in the config)`);
  },
  metricNames: () => [],
  service: () => null,
};

let current: TelemetryHandle = inertTelemetry;

export function currentTelemetry(): TelemetryHandle {
  return current;
}

/** Installs `t` (the telemetry part does, on start and reload); null restores the inert one. */
export function setCurrentTelemetry(t: TelemetryHandle | null): void {
  current = t ?? inertTelemetry;
}
