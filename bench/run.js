// `npm run bench`: every benchmark in bench/, one after the other, then bench/REPORT.md from their
// results. `npm run bench -- <name> [flags]` runs bench/<name>.mjs alone and rebuilds REPORT.md
// (other sections keep their last results). `--smoke` (any form) runs everything briefly into a
// temporary folder: CI's proof that the benchmarks still work; its figures mean little.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outDir } from './lib/report.mjs';

// The REPORT.md order (the sections' numbers); any other script runs after these.
const ORDER = ['containerpilot', 'watch-latency', 'fanout', 'start', 'stop', 'cost', 'soak', 'control', 'generator', 'runtimes', 'render', 'config-load', 'fuzz', 'memory'];

const dir = fileURLToPath(new URL('.', import.meta.url));
const found = readdirSync(dir).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4));
const all = [...ORDER.filter((n) => found.includes(n)), ...found.filter((n) => !ORDER.includes(n)).sort()];
const name = process.argv[2] !== undefined && !process.argv[2].startsWith('-') ? process.argv[2] : undefined;
if (name !== undefined && !all.includes(name)) {
  process.stderr.write(`bench: no benchmark "${name}" (expected one of: ${all.join(', ')})\n`);
  process.exit(2);
}
const args = process.argv.slice(name === undefined ? 2 : 3);
// A whole run starts from no results, so REPORT.md never mixes in figures of an older run.
if (name === undefined) rmSync(join(outDir, 'results'), { recursive: true, force: true });

const failed = [];
for (const bench of name === undefined ? all : [name]) {
  process.stderr.write(`\nbench: ${bench} ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, [join(dir, `${bench}.mjs`), ...args], { stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`bench: ${bench} failed (${run.error?.message ?? `exit status ${run.status ?? run.signal}`})\n`);
    failed.push(bench);
  }
}
const summary = spawnSync(process.execPath, [join(dir, 'lib', 'summary.mjs'), ...args], { stdio: 'inherit' });
if (summary.status !== 0) failed.push('summary');
process.stderr.write(failed.length ? `bench: FAILED: ${failed.join(', ')}\n` : `bench: all ${name ? 1 : all.length} passed; report in ${join(outDir, 'REPORT.md')}\n`);
process.exit(failed.length ? 1 : 0);
