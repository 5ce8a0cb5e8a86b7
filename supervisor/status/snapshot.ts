/** Builds the status snapshot (control socket `/v3/status`, telemetry `/status`) from the app context. */
import { hostname } from 'node:os';
import type { AppContext } from '../app/part-types.js';
import { resolveInterfaceIp } from '../discovery/interfaces.js';
import type { JobInfo } from '../jobs/types.js';
import type { JobHealth, JobStatus, StatusSnapshot, WatchStatus } from './types.js';

export type StatusContext = AppContext;

function jobStatus(job: JobInfo): JobStatus {
  const s = job.status;
  const health: JobHealth = !job.config.health ? 'none' : s === 'healthy' || s === 'unhealthy' ? s : 'unknown';
  const state = job.pid !== undefined ? 'running' : s === 'completed' || s === 'idle' || s === 'maintenance' ? s : job.config.exec ? 'waiting' : 'active';
  const out: JobStatus = { name: job.name, state, health, restarts: job.restarts ?? 0, pid: job.pid ?? null };
  if (job.runs !== undefined) out.runs = job.runs;
  const svc = job.config.service;
  if (svc) {
    let address = '';
    try {
      address = resolveInterfaceIp(svc.interfaces);
    } catch {
      // No matching interface: discovery reports that; status just leaves the address empty.
    }
    out.service = { id: `${job.name}-${hostname()}`, address, port: svc.port };
  }
  return out;
}

function watchStatuses(ctx: StatusContext): WatchStatus[] {
  return ctx.watches().map((w) => ({ name: w.name, kind: w.config.target.kind, instances: [...w.instances()] }));
}

export function buildStatus(ctx: StatusContext, maintenance: boolean, version: string): StatusSnapshot {
  return { version, maintenance, jobs: ctx.jobs().map(jobStatus), watches: watchStatuses(ctx) };
}

/** Follows `enterMaintenance` / `exitMaintenance` from source `global` on the bus. */
export function followMaintenance(bus: AppContext['bus']): { readonly on: boolean; stop(): void } {
  let on = false;
  const stop = bus.subscribe((e) => {
    if (e.source !== 'global') return;
    if (e.code === 'enterMaintenance') on = true;
    else if (e.code === 'exitMaintenance') on = false;
  });
  return {
    get on() {
      return on;
    },
    stop,
  };
}
