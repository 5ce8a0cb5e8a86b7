// `npm run compat -- <dir>`: the compatibility check. Runs compat/*.test.mjs (node's test runner)
// against a folder of real ContainerPilot configs and templates laid out as ../shared/compat
// (see compat/README.md), after building dist/. A missing or wrong folder: one line, exit 2.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusProblem } from '../compat/layout.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) {
  process.stderr.write('compat: usage: npm run compat -- <corpus folder> (for example ../shared/compat)\n');
  process.exit(2);
}
// Relative to where npm was run (npm runs scripts from the package root).
const dir = resolve(process.env.INIT_CWD ?? process.cwd(), args[0]);
const problem = corpusProblem(dir);
if (problem) {
  process.stderr.write(`compat: ${dir}: ${problem}\n`);
  process.exit(2);
}

const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
const build = spawnSync(npm[0], [...npm.slice(1), 'run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const checks = readdirSync(join(repoRoot, 'compat')).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join('compat', f));
process.stderr.write(`compat: ${checks.length} checks on ${dir}\n`);
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...checks], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, AUTOPILOT_COMPAT_DIR: dir },
});
process.exit(run.status ?? 1);
