/**
 * How a job's `when` matches bus events (ContainerPilot v3 semantics, plus several sources).
 */
import type { JobConfig, WhenConfig } from '../config/model.js';
import type { SupervisorEvent } from '../events/bus.js';

/** Sources that are Unix signals: any event from them triggers, every time (ContainerPilot's Signal events). */
export const SIGNAL_SOURCES: ReadonlySet<string> = new Set(['SIGHUP', 'SIGUSR2']);

export const GLOBAL = 'global';

export function isSignalWhen(when: WhenConfig): boolean {
  return when.kind === 'event' && when.sources.some((s) => SIGNAL_SOURCES.has(s));
}

/** True for `when: { source: <job>, once|each: "stopping"|"stopped" }`: a pre/post-stop hook. */
export function isStopHook(when: WhenConfig): boolean {
  return when.kind === 'event' && (when.event === 'stopping' || when.event === 'stopped');
}

export function matchesStart(when: WhenConfig, e: SupervisorEvent): boolean {
  if (when.kind === 'interval') return e.source === GLOBAL && e.code === 'startup';
  if (!when.sources.includes(e.source)) return false;
  if (SIGNAL_SOURCES.has(e.source)) return true;
  return e.code === when.event;
}

/** Names of the jobs hooked on `name`'s `stopping` event: `name` waits for them before it stops. */
export function stoppingHooksOf(name: string, jobs: readonly JobConfig[]): string[] {
  return jobs
    .filter((j) => j.name !== name && j.when.kind === 'event' && j.when.event === 'stopping' && j.when.sources.includes(name))
    .map((j) => j.name);
}

/** Interval jobs without a `timeout` are bounded by their interval, as in ContainerPilot. */
export function execTimeoutMs(job: JobConfig): number {
  if (job.timeoutMs > 0) return job.timeoutMs;
  return job.when.kind === 'interval' ? job.when.intervalMs : 0;
}
