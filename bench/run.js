// `npm run bench`: every benchmark in bench/, one after the other; each writes its report file.
// `npm run bench -- <name> [flags]` runs bench/<name>.mjs alone (e.g. `watch-latency --runs 10`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
const name = process.argv[2] !== undefined && !process.argv[2].startsWith('-') ? process.argv[2] : undefined;
if (name !== undefined && !all.includes(`${name}.mjs`)) {
  process.stderr.write(`bench: no benchmark "${name}" (expected one of: ${all.map((f) => f.slice(0, -4)).join(', ')})\n`);
  process.exit(2);
}
const args = process.argv.slice(name === undefined ? 2 : 3);
let failed = false;
for (const file of name === undefined ? all : [`${name}.mjs`]) {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...args], { stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`bench: ${file} failed (${run.error?.message ?? `exit status ${run.status}`})\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
