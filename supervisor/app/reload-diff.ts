/**
 * What a reload changes: jobs whose config is identical (by value) keep running; removed and
 * changed jobs are stopped; new and changed ones are started.
 */
import type { JobConfig } from '../config/model.js';

export interface JobDiff {
  stop: string[];
  start: JobConfig[];
  keep: string[];
}

export function diffJobs(current: readonly JobConfig[], next: readonly JobConfig[]): JobDiff {
  // Jobs are compared by name; the jobs sharing a name (ContainerPilot runs duplicates) are
  // kept, or stopped and started, together.
  const before = byName(current);
  const after = byName(next);
  const stop: string[] = [];
  const start: JobConfig[] = [];
  const keep: string[] = [];
  for (const name of before.keys()) if (!after.has(name)) stop.push(name);
  for (const [name, group] of after) {
    const prev = before.get(name);
    if (prev === undefined) start.push(...group);
    else if (stableJson(prev) === stableJson(group)) keep.push(name);
    else {
      stop.push(name);
      start.push(...group);
    }
  }
  return { stop, start, keep };
}

function byName(jobs: readonly JobConfig[]): Map<string, JobConfig[]> {
  const m = new Map<string, JobConfig[]>();
  for (const j of jobs) m.set(j.name, [...(m.get(j.name) ?? []), j]);
  return m;
}

/** JSON with sorted object keys, so key order never counts as a change. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (val && typeof val === 'object' && !Array.isArray(val)) {
      const o = val as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return val;
  });
}
