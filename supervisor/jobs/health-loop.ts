/**
 * A job's health-check loop: every `health.interval`, once the job has been started, run the
 * check (never two at once) and publish the result as ContainerPilot does: the check's own
 * `exitSuccess`/`exitFailed` (source `check.<job>`), then `healthy`/`unhealthy` from the job.
 * Checks pause in maintenance. `onHealthCheck(passed)` feeds discovery's TTL heartbeat; each
 * run's duration and outcome go to telemetry.
 */
import type { HealthConfig } from '../config/model.js';
import { currentTelemetry } from '../telemetry/current.js';
import { every, type Timer } from '../timers/timers.js';
import { runCheck } from './check.js';
import type { CheckedJob } from './types.js';

export class HealthLoop {
  private timer: Timer | undefined;
  private inFlight = false;
  /** Aborts the check in flight (kills an exec check) when the loop stops. */
  private running: AbortController | undefined;
  private stopped = false;

  constructor(
    private readonly job: CheckedJob,
    private readonly health: HealthConfig,
  ) {}

  start(): void {
    this.timer = every(this.health.intervalMs, () => void this.tick());
  }

  stop(): void {
    this.stopped = true;
    this.running?.abort();
    this.timer?.clear();
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    const job = this.job;
    if (this.inFlight || this.stopped) return;
    if (job.status === 'idle' || job.status === 'maintenance' || job.status === 'completed') return;
    if (this.health.check.kind === 'none') {
      // No check (ContainerPilot 3.8's "non-checked but advertised" service): a heartbeat
      // every interval, no check events, no health status change.
      job.ctx.hooks?.onHealthCheck?.(job, true);
      return;
    }
    this.inFlight = true;
    const name = `check.${job.name}`;
    const raw = this.health.logging?.raw === true;
    const began = performance.now();
    this.running = new AbortController();
    const result = await runCheck(this.health.check, {
      signal: this.running.signal,
      name,
      timeoutMs: this.health.timeoutMs > 0 ? this.health.timeoutMs : this.health.intervalMs,
      log: job.ctx.log,
      raw,
    });
    this.inFlight = false;
    this.running = undefined;
    if (this.stopped) return;
    currentTelemetry().recorder.healthCheck(job.name, (performance.now() - began) / 1000, result.passed);
    const { bus, log, hooks } = job.ctx;
    bus.publish({ code: result.passed ? 'exitSuccess' : 'exitFailed', source: name });
    if (!result.passed) log.error(`${name} exited with error: ${result.detail ?? 'failed'}`);
    if (inMaintenance(job)) return; // entered while the check ran
    job.status = result.passed ? 'healthy' : 'unhealthy';
    bus.publish({ code: result.passed ? 'healthy' : 'unhealthy', source: job.name });
    hooks?.onHealthCheck?.(job, result.passed);
  }
}

function inMaintenance(job: CheckedJob): boolean {
  return job.status === 'maintenance';
}
