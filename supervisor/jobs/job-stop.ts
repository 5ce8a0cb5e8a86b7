/**
 * The stop sequence of one job, run when it completes:
 *   1. publish `stopping`;
 *   2. wait for the jobs hooked on its `stopping` (preStop) to finish their run, bounded by the
 *      job's `stopTimeout` (or the global one when unset); hooks still running then are stopped;
 *   3. the discovery hook (deregister), bounded (1 s);
 *   4. SIGTERM to the process group (if still running), SIGKILL after the global `stopTimeout`;
 * then the job publishes `stopped` (so postStop hooks run). Nothing waits a fixed time: each
 * step ends as soon as its condition holds.
 */
import type { SupervisorEvent } from '../events/bus.js';
import { after, within } from '../timers/timers.js';
import { STOP_HOOK_TIMEOUT_MS, type StoppingJob } from './types.js';

/** After SIGKILL the exit is near-certain; this bounds the wait if the runtime never reports it. */
const AFTER_KILL_MS = 2_000;

export async function runStopSequence(job: StoppingJob): Promise<void> {
  const { bus, log } = job.ctx;
  bus.publish({ code: 'stopping', source: job.name });
  await waitForStoppingHooks(job);
  await runStopHook(job);
  const child = job.child;
  if (child?.isRunning()) {
    const sig = job.ctx.stopSignal?.() ?? 'SIGTERM';
    log.debug(`terminating command '${job.name}' at pid: ${child.pid}`, undefined);
    job.stopSignalSent = sig;
    child.signal(sig);
    const grace = job.ctx.killGraceMs();
    if (!(await within(child.exited, grace))) {
      log.warn(`${job.name} did not stop within ${grace}ms of ${sig}; killing it`);
      job.stopSignalSent = 'SIGKILL';
      child.signal('SIGKILL');
      await within(child.exited, AFTER_KILL_MS);
    }
  }
}

function waitForStoppingHooks(job: StoppingJob): Promise<void> {
  const { ctx } = job;
  const pending = new Set(ctx.stoppingHooks(job.name).filter((h) => !ctx.isComplete(h)));
  if (pending.size === 0) return Promise.resolve();
  const limit = job.config.stopTimeoutMs > 0 ? job.config.stopTimeoutMs : ctx.killGraceMs();
  return new Promise<void>((resolve) => {
    const finish = (): void => {
      timer.clear();
      job.stopWatchers.delete(watch);
      resolve();
    };
    // A hook is done when it completes or when a run of it (started by our `stopping`) exits.
    const watch = (e: SupervisorEvent): void => {
      if (!pending.has(e.source)) return;
      if (e.code === 'stopped' || e.code === 'exitSuccess' || e.code === 'exitFailed') pending.delete(e.source);
      if (pending.size === 0) finish();
    };
    // The wait is bounded: a hook still running then is stopped too (SIGTERM, later SIGKILL),
    // so a hung preStop can neither hold the job up nor outlive the shutdown.
    const timer = after(limit, () => {
      ctx.log.warn(`${job.name}: stopping hooks ${[...pending].join(', ')} still running after ${limit}ms; stopping them and continuing`);
      for (const name of pending) ctx.stopJob?.(name);
      finish();
    });
    job.stopWatchers.add(watch);
  });
}

async function runStopHook(job: StoppingJob): Promise<void> {
  const hook = job.ctx.hooks?.onStop;
  if (!hook) return;
  try {
    const ok = await within(Promise.resolve(hook(job)), STOP_HOOK_TIMEOUT_MS);
    if (!ok) job.ctx.log.warn(`${job.name}: stop hook still running after ${STOP_HOOK_TIMEOUT_MS}ms; continuing`);
  } catch (err) {
    job.ctx.log.error(`${job.name}: stop hook failed: ${(err as Error).message}`);
  }
}
