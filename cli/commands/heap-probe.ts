/**
 * A benchmark hook, off unless AUTOPILOT_BENCH_HEAP names a file: every 5 s the supervisor
 * collects garbage (Bun.gc, or gc() when Node runs with --expose-gc) and appends
 * "<ms since the epoch> <heap used in bytes>" to that file. bench/soak.mjs reads it to tell a
 * leak from garbage the collector has not reclaimed yet, on every runtime and the binary alike.
 */
import { appendFileSync } from 'node:fs';
import { every } from '../../supervisor/timers/timers.js';

export function startHeapProbe(env: NodeJS.ProcessEnv): void {
  const file = env['AUTOPILOT_BENCH_HEAP'];
  if (!file) return;
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  every(5000, () => {
    if (g.Bun) g.Bun.gc(true);
    else g.gc?.();
    try {
      appendFileSync(file, `${Date.now()} ${process.memoryUsage().heapUsed}\n`);
    } catch {
      // The benchmark removed its folder: nothing to report to.
    }
  }).unref();
}
