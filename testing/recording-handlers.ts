/**
 * ControlHandlers that record every call and keep a little state (env, metrics, maintenance).
 * Used by the tests of the control plane and its CLI; handy for trying clients by hand.
 */
import { RejectedRequest } from '../base/errors.js';
import type { ControlHandlers } from '../supervisor/control/handlers.js';
import type { StatusSnapshot } from '../supervisor/status/types.js';

export type RecordedCall = { call: 'putEnv'; vars: Record<string, string> } | { call: 'reload' } | { call: 'putMetric'; values: Record<string, number> } | { call: 'setMaintenance'; on: boolean } | { call: 'status' };

export class RecordingHandlers implements ControlHandlers {
  readonly calls: RecordedCall[] = [];
  readonly env: Record<string, string> = {};
  maintenance = false;

  constructor(
    private readonly snapshot: StatusSnapshot,
    /** Metric names accepted by putMetric; any other name is rejected as ContainerPilot's telemetry would not know it. */
    private readonly metrics: ReadonlySet<string> = new Set(),
  ) {}

  putEnv(vars: Record<string, string>): void {
    this.calls.push({ call: 'putEnv', vars });
    Object.assign(this.env, vars);
  }

  async reload(): Promise<void> {
    this.calls.push({ call: 'reload' });
  }

  putMetric(values: Record<string, number>): void {
    const unknown = Object.keys(values).filter((n) => !this.metrics.has(n));
    if (unknown.length) throw new RejectedRequest(`unknown metric ${unknown.join(', ')}`);
    this.calls.push({ call: 'putMetric', values });
  }

  setMaintenance(on: boolean): void {
    this.calls.push({ call: 'setMaintenance', on });
    this.maintenance = on;
  }

  status(): StatusSnapshot {
    this.calls.push({ call: 'status' });
    return { ...this.snapshot, maintenance: this.maintenance };
  }
}
