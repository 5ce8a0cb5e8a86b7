/**
 * The exit-code rule (ContainerPilot always exits 0; we report the main job's result).
 *
 * The main job is, in config order:
 *   1. the first job with both an `exec` and a `port` (the advertised service); else
 *   2. the first job with an `exec` started by the `startup` event (no `when`) that is not a
 *      preparation step (a job another job runs after, once, on its `exitSuccess`, like a
 *      preStart; a job run on another's `exitFailed` is a fallback, not what it prepares); else
 *   3. the first job with an `exec` started once after another job's event (not its `stopping`
 *      or `stopped`, not `shutdown`) that is not a preparation step: the application a preStart
 *      prepares; else
 *   4. the first job with an `exec`.
 * Init mode (`autopilot run -- cmd`) has exactly one job: the command.
 *
 * The exit code is then:
 *   - stopped by SIGTERM/SIGINT: 0, unless the main job had already failed before the signal
 *     (it was not running, e.g. exited or waiting out a restart back-off, and its last exit was
 *     non-zero): then that exit's code;
 *     in init mode, the command's own exit code (what it made of the forwarded signal);
 *   - every job completed on its own: the main job's last exit code (128+N if killed by
 *     signal N; 127 if it could not start, 126 if not executable); 1 if the main job never ran;
 *   - no job has an `exec`: 0.
 */
import type { JobConfig } from '../config/model.js';
import type { Job } from './job.js';
import { GLOBAL } from './when.js';

export function mainJobName(jobs: readonly JobConfig[]): string | undefined {
  const withExec = jobs.filter((j) => j.exec && j.exec.length > 0);
  const service = withExec.find((j) => j.service);
  if (service) return service.name;
  const prepared = new Set(
    jobs.flatMap((j) => (j.when.kind === 'event' && j.when.mode === 'once' && PREP_EVENTS.has(j.when.event) ? j.when.sources : [])),
  );
  const once = withExec.filter((j) => j.when.kind === 'event' && j.when.mode === 'once' && !prepared.has(j.name));
  const startup = once.find((j) => j.when.kind === 'event' && j.when.event === 'startup' && j.when.sources.includes(GLOBAL));
  const chained = once.find((j) => j.when.kind === 'event' && !HOOK_EVENTS.has(j.when.event) && !j.when.sources.includes(GLOBAL));
  return (startup ?? chained ?? withExec[0])?.name;
}

/** A job another runs after, once, on this event is a preparation step (a preStart). */
const PREP_EVENTS = new Set(['exitSuccess']);
/** Jobs run on these are stop hooks, never the application. */
const HOOK_EVENTS = new Set(['stopping', 'stopped', 'shutdown']);

export interface ExitContext {
  main: Job | undefined;
  /** The stop began with SIGTERM/SIGINT (not because every job completed). */
  signalled: boolean;
  /** The main job when the signal came: running or not, and its last exit before. */
  atSignal?: { running: boolean; lastExit: Job['lastExit'] };
  initMode: boolean;
}

export function exitCodeFor({ main, signalled, atSignal, initMode }: ExitContext): number {
  if (!main) return 0;
  if (signalled && !initMode) {
    if (!atSignal || atSignal.running || !atSignal.lastExit) return 0;
    return atSignal.lastExit.status;
  }
  if (!main.lastExit) return signalled ? 0 : 1;
  return main.lastExit.status;
}
