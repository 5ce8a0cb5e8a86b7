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
  const before = new Map(current.map((j) => [j.name, stableJson(j)]));
  const stop: string[] = [];
  const start: JobConfig[] = [];
  const keep: string[] = [];
  const nextNames = new Set(next.map((j) => j.name));
  for (const j of current) if (!nextNames.has(j.name)) stop.push(j.name);
  for (const j of next) {
    const prev = before.get(j.name);
    if (prev === undefined) start.push(j);
    else if (prev === stableJson(j)) keep.push(j.name);
    else {
      stop.push(j.name);
      start.push(j);
    }
  }
  return { stop, start, keep };
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
