/**
 * The supervisor's one telemetry instance, for the parts that report to it without being wired to
 * it: jobs and watches call `currentTelemetry().recorder`, the control socket's putmetric calls
 * `putMetrics`, discovery reads `service()`. Inert (no-op recorder, every metric unknown) until
 * the telemetry part installs a configured instance.
 */
import { Telemetry } from './index.js';

let current = new Telemetry(undefined);

export function currentTelemetry(): Telemetry {
  return current;
}

/** Installs `t` (the telemetry part does, on start and reload); null restores the inert one. */
export function setCurrentTelemetry(t: Telemetry | null): void {
  current = t ?? new Telemetry(undefined);
}
