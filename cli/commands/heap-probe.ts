/**
 * A benchmark hook, off unless AUTOPILOT_BENCH_HEAP names a file: every 5 s the supervisor
 * collects garbage (Bun.gc, or gc() when Node runs with --expose-gc) and appends
 * "<ms since the epoch> <heap used> [<code> <heap total> <external>]" (bytes) to that file.
 * bench/soak.mjs reads it to tell a leak from garbage the collector has not reclaimed yet, on
 * every runtime and the binary alike. The other fields are V8's (Node, Deno): code is compiled
 * code and bytecode with their metadata (deopt data, relocation info, source positions:
 * v8.getHeapCodeStatistics), which grows as functions get hot and are optimised, apart from the
 * program's data; heap total and external (buffers) say where the rest of RSS goes.
 */
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { every } from '../../supervisor/timers/timers.js';

type CodeStats = { code_and_metadata_size: number; bytecode_and_metadata_size: number };

export function startHeapProbe(env: NodeJS.ProcessEnv): void {
  const file = env['AUTOPILOT_BENCH_HEAP'];
  if (!file) return;
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  // Required here, not imported: a start without the hook does not load node:v8.
  const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  // A namespace import: Bun's node:v8 lacks some of V8's functions, and JSC reports no such split.
  const codeStats = !g.Bun && typeof v8.getHeapCodeStatistics === 'function' ? () => v8.getHeapCodeStatistics() as CodeStats : undefined;
  every(5000, () => {
    if (g.Bun) g.Bun.gc(true);
    else g.gc?.();
    const c = codeStats?.();
    const m = process.memoryUsage();
    const v8Fields = c ? ` ${c.code_and_metadata_size + c.bytecode_and_metadata_size} ${m.heapTotal} ${m.external}` : '';
    try {
      appendFileSync(file, `${Date.now()} ${m.heapUsed}${v8Fields}\n`);
    } catch {
      // The benchmark removed its folder: nothing to report to.
    }
  }).unref();
}
