// `npm run bench`: every benchmark in bench/, one after the other; each writes its report file.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
let failed = false;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort()) {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`bench: ${file} failed (${run.error?.message ?? `exit status ${run.status}`})\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
