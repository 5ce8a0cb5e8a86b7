// `npm run build:binary`: single-file executables of the built CLI (dist/) with `bun build
// --compile`, templates and version embedded, for linux-x64 glibc and musl:
//   dist/bin/autopilot-linux-x64, dist/bin/autopilot-linux-x64-musl
// Run `npm run build` first (the npm script does). `--target <name>` builds one only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedModuleSource } from './embed-templates.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bun = join(repoRoot, 'node_modules', '.bin', 'bun');
const outDir = join(repoRoot, 'dist', 'bin');
const cliEntry = join(repoRoot, 'dist', 'cli', 'index.js');

export const TARGETS = [
  { bunTarget: 'bun-linux-x64', file: 'autopilot-linux-x64' },
  { bunTarget: 'bun-linux-x64-musl', file: 'autopilot-linux-x64-musl' },
];

function fail(message) {
  process.stderr.write(`build-binary: ${message}\n`);
  process.exit(1);
}

if (!existsSync(cliEntry)) fail(`${cliEntry} is missing: run \`npm run build\` first`);
if (!existsSync(bun)) fail(`${bun} is missing: run \`npm ci\` (bun is a devDependency)`);

const only = process.argv.indexOf('--target');
const targets = only === -1 ? TARGETS : TARGETS.filter((t) => t.file === process.argv[only + 1] || t.bunTarget === process.argv[only + 1]);
if (targets.length === 0) fail(`unknown --target ${process.argv[only + 1]} (one of ${TARGETS.map((t) => t.file).join(', ')})`);

// The entry registers the embedded assets first (ES modules evaluate imports in order), then
// runs the CLI exactly as dist/cli/index.js does under Node.
// A private folder per build, so two builds at once never remove each other's entry.
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(outDir, '.entry-'));
const entry = join(work, 'entry.js');
writeFileSync(join(work, 'embedded-assets.js'), embeddedModuleSource(repoRoot));
writeFileSync(entry, `import './embedded-assets.js';\nimport '../../cli/index.js';\n`);

for (const { bunTarget, file } of targets) {
  // Built beside its final name, then renamed: the binary is never missing or half-written.
  const outfile = join(work, file);
  const args = ['build', entry, '--compile', '--bytecode', '--minify', `--target=${bunTarget}`, `--outfile=${outfile}`,
    // A binary must not change behaviour with the directory it is started in.
    '--no-compile-autoload-dotenv', '--no-compile-autoload-bunfig'];
  const run = spawnSync(bun, args, { cwd: repoRoot, stdio: 'inherit' });
  if (run.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    fail(`bun build for ${bunTarget} failed (${run.error?.message ?? `exit status ${run.status}`})`);
  }
  const final = join(outDir, file);
  renameSync(outfile, final);
  process.stdout.write(`${final}: ${(statSync(final).size / 1048576).toFixed(1)} MiB\n`);
}
rmSync(work, { recursive: true, force: true });
