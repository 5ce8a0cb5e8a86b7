/**
 * Where ContainerPilot hangs silently: a `when.source` nothing emits, or jobs that wait on each
 * other in a ring. Both load (ContainerPilot runs them) but the jobs never start, so both are
 * warnings, which `validate` prints and `run` logs at start.
 */
import { suggest } from '../../base/suggest.js';
import type { Issues } from './fields.js';
import type { JobConfig } from './model.js';

/** Events a job emits even if it never started: a ring through them ends at shutdown. */
const EMITTED_UNSTARTED = ['stopping', 'stopped'];

export function checkWhenSources(iss: Issues, jobs: JobConfig[], watchNames: string[], telemetry: boolean): void {
  // `global` carries startup, shutdown and maintenance; the signals come from `kill`.
  const known = ['global', 'SIGHUP', 'SIGUSR2', ...jobs.map((j) => j.name), ...watchNames.map((w) => `watch.${w}`)];
  if (telemetry) known.push('containerpilot');
  const knownSet = new Set(known);
  // Called only when every job validated, so jobs[i] is the i-th job of the file.
  jobs.forEach((job, i) => {
    if (job.when.kind !== 'event') return;
    for (const s of job.when.sources) {
      if (knownSet.has(s)) continue;
      // Two edits turn any short name into any other: a hint for "1" would be noise.
      const near = !s.startsWith('watch.') && watchNames.includes(s) ? `watch.${s}` : s.length > 3 ? suggest(s, known) : undefined;
      const hint = near ? ` (did you mean "${near}"?)` : '';
      iss.warn(`jobs[${i}] (${JSON.stringify(job.name)}).when.source`, `${JSON.stringify(s)} is not a job or watch in this config, so this job may never start${hint}`);
    }
  });
  for (const ring of waitRings(jobs)) {
    const i = jobs.findIndex((j) => j.name === ring[0]);
    const chain = [...ring, ring[0]!].map((n) => JSON.stringify(n)).join(' -> ');
    iss.warn(`jobs[${i}] (${JSON.stringify(ring[0])}).when.source`, `"when" cycle ${chain} (each waits on the next): none of them can start, and ContainerPilot hangs here without a word`);
  }
}

/** Rings of jobs that each wait for the next one, in wait order, each ring once. */
export function waitRings(jobs: JobConfig[]): string[][] {
  // A job with several sources starts on any of them, so only a sole source is a hard wait;
  // with `all: true` every source is.
  const waitsOn = new Map<string, string[]>();
  const names = new Set(jobs.map((j) => j.name));
  for (const j of jobs) {
    const w = j.when;
    if (w.kind !== 'event' || EMITTED_UNSTARTED.includes(w.event)) continue;
    const hard = w.all ? w.sources : w.sources.length === 1 ? w.sources : [];
    const on = hard.filter((s) => names.has(s));
    if (on.length) waitsOn.set(j.name, on);
  }
  const rings: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (at: string): void => {
    if (done.has(at)) return;
    const back = path.indexOf(at);
    if (back >= 0) {
      const ring = path.slice(back);
      const key = [...ring].sort().join('\0');
      if (!seen.has(key)) rings.push(ring);
      seen.add(key);
      return;
    }
    path.push(at);
    for (const next of waitsOn.get(at) ?? []) visit(next);
    path.pop();
    done.add(at);
  };
  for (const start of waitsOn.keys()) visit(start);
  return rings;
}
