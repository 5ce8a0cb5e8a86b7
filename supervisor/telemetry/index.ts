/**
 * ContainerPilot's telemetry: user metrics from `telemetry.metrics`, the supervisor's own metrics,
 * and the HTTP server for `/metrics` and `/status`. With no `telemetry` in the config everything
 * here is inert (no-op recorder, no server) so callers never branch on it.
 */
import { Registry } from 'prom-client';
import type { TelemetryConfig } from '../config/model.js';
import type { StatusSnapshot } from '../status/types.js';
import { RejectedRequest } from '../../base/errors.js';
import { createRecorder } from './recorder.js';
import { noopRecorder, type TelemetryHandle, type TelemetryRecorder, type TelemetryService } from './types.js';
import { startTelemetryServer, type TelemetryServer } from './server.js';
import { UserMetrics } from './user-metrics.js';

export { fullMetricName } from './user-metrics.js';
export { type TelemetryHandle, type TelemetryRecorder, type TelemetryService } from './types.js';
export type { TelemetryServer } from './server.js';

export interface StartOptions {
  /** The IP resolved from `telemetry.interfaces`. */
  address: string;
  status: () => StatusSnapshot | Promise<StatusSnapshot>;
  /** Overrides `telemetry.port` (tests use 0). */
  port?: number;
}

export class Telemetry implements TelemetryHandle {
  readonly registry = new Registry();
  readonly recorder: TelemetryRecorder;
  private readonly metrics: UserMetrics | null;
  private server: TelemetryServer | null = null;

  constructor(
    readonly config: TelemetryConfig | undefined,
    private readonly version = '',
  ) {
    this.recorder = config ? createRecorder(this.registry) : noopRecorder;
    this.metrics = config ? new UserMetrics(config.metrics, this.registry) : null;
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  /** The control plane's `putMetric`. Rejects (422) unknown names, or any name when telemetry is off. */
  putMetrics(values: Record<string, number>): void {
    if (!this.metrics) throw new RejectedRequest(`unknown metric ${Object.keys(values).join(', ')} (no telemetry in the config)`);
    this.metrics.apply(values);
  }

  metricNames(): string[] {
    return this.metrics?.names() ?? [];
  }

  /** Counts every bus event in `containerpilot_events`; returns the unsubscribe function. */
  recordEvents(bus: { subscribe(fn: (e: { code: string; source: string }) => void): () => void }): () => void {
    if (!this.enabled) return () => undefined;
    return bus.subscribe((e) => this.recorder.event(e.code, e.source));
  }

  /** Starts serving; resolves null when telemetry is off. */
  async start(opts: StartOptions): Promise<TelemetryServer | null> {
    if (!this.config) return null;
    if (this.server) throw new Error('telemetry: already started');
    this.server = await startTelemetryServer({ address: opts.address, port: opts.port ?? this.config.port, registry: this.registry, status: opts.status });
    return this.server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.stop();
  }

  service(): TelemetryService | null {
    if (!this.config) return null;
    return {
      name: 'containerpilot',
      port: this.server?.port ?? this.config.port,
      interfaces: [...this.config.interfaces],
      tags: this.version ? [...this.config.tags, this.version] : [...this.config.tags],
      ttlMs: 15_000,
      heartbeatMs: 5_000,
      isHealthy: () => this.server !== null,
    };
  }
}
