/**
 * A benchmark hook, off unless AUTOPILOT_BENCH_HEAP names a file: every 5 s the supervisor
 * collects garbage (Bun.gc, or gc() when Node runs with --expose-gc) and appends
 * "<ms since the epoch> <heap used in bytes> [<compiled code in bytes>]" to that file.
 * bench/soak.mjs reads it to tell a leak from garbage the collector has not reclaimed yet, on
 * every runtime and the binary alike. The third field (V8 only: its code and large-code spaces)
 * separates the JIT's compiled code, which grows as functions get hot, from the program's data.
 */
import { appendFileSync } from 'node:fs';
import * as v8 from 'node:v8';
import { every } from '../../supervisor/timers/timers.js';

type SpaceStats = { space_name: string; space_used_size: number }[];

export function startHeapProbe(env: NodeJS.ProcessEnv): void {
  const file = env['AUTOPILOT_BENCH_HEAP'];
  if (!file) return;
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  // A namespace import: Bun's node:v8 lacks some of V8's functions, and JSC has no code space.
  const spaces = !g.Bun && typeof v8.getHeapSpaceStatistics === 'function' ? () => v8.getHeapSpaceStatistics() as SpaceStats : undefined;
  every(5000, () => {
    if (g.Bun) g.Bun.gc(true);
    else g.gc?.();
    const code = spaces?.().filter((s) => s.space_name === 'code_space' || s.space_name === 'code_large_object_space').reduce((a, s) => a + s.space_used_size, 0);
    try {
      appendFileSync(file, `${Date.now()} ${process.memoryUsage().heapUsed}${code === undefined ? '' : ` ${code}`}\n`);
    } catch {
      // The benchmark removed its folder: nothing to report to.
    }
  }).unref();
}
