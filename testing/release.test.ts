/**
 * The release tooling (scripts/release/, .github/workflows/): the package-content checker fails
 * on what must not ship, the binaries are what their names say, and the workflow files pass
 * actionlint (built from source by scripts/setup-actionlint.sh, with shellcheck for their scripts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths.js';
import { tempDir } from '../generators/helpers.test.js';

type Report = { name: string; files: Array<{ path: string; mode: number }> };
const scripts = (name: string) => pathToFileURL(join(repoRoot, 'scripts', 'release', name)).href;
const npmPackages = () => import(scripts('npm-packages.mjs')) as Promise<{ contentProblems: (r: Report, required: string[]) => string[] }>;
const binaries = () => import(scripts('binaries.mjs')) as Promise<{ elfInfo: (p: string) => { cpu: string; libc: string } }>;

test('release: the package checker names each file that must not ship, each missing one, a binary that cannot run', async () => {
  const { contentProblems } = await npmPackages();
  const ok: Report = { name: 'p', files: [{ path: 'package.json', mode: 0o644 }, { path: 'bin/autopilot', mode: 0o755 }] };
  assert.deepEqual(contentProblems(ok, ['package.json', 'bin/autopilot']), []);
  const bad: Report = {
    name: 'p',
    files: ['dist/cli/main.test.js', 'dist/supervisor/render/test-support.js', 'dist/generators/testdata/golden/x', 'dist/testing/paths.js', 'dist/bin/autopilot-linux-x64', 'dist/cli/index.js.map', 'cli/main.ts', 'e2e/fixtures/a'].map((path) => ({ path, mode: 0o644 })).concat([{ path: 'bin/autopilot', mode: 0o644 }]),
  };
  const problems = contentProblems(bad, ['README.md', 'bin/autopilot']);
  for (const f of bad.files.slice(0, 8)) assert.ok(problems.some((p) => p.includes(`ships ${f.path} `)), `flags ${f.path}`);
  assert.ok(problems.includes('p: lacks README.md'));
  assert.ok(problems.some((p) => p.includes('bin/autopilot is not executable')));
});

test('release: the built binaries are the CPU and C library their names say', async () => {
  const { elfInfo } = await binaries();
  const dir = join(repoRoot, 'dist', 'bin');
  const built = readdirSync(dir).filter((f) => /^autopilot-linux-(x64|arm64)(-musl)?$/.test(f));
  assert.ok(built.length >= 2, `npm run build:binary builds this machine's two (found ${built.join(', ')})`);
  for (const file of built) {
    const [, cpu, musl] = /^autopilot-linux-(x64|arm64)(-musl)?$/.exec(file)!;
    const info = elfInfo(join(dir, file));
    assert.equal(info.cpu, cpu, file);
    assert.equal(info.libc, musl ? 'musl' : 'glibc', file);
  }
  assert.throws(() => elfInfo(join(repoRoot, 'package.json')), /not a 64-bit little-endian ELF file/);
});

function actionlint(): string {
  const fromEnv = process.env['AUTOPILOT_ACTIONLINT_BIN'];
  if (fromEnv) return fromEnv;
  const run = spawnSync('bash', [join(repoRoot, 'scripts', 'setup-actionlint.sh')], { encoding: 'utf8' });
  assert.equal(run.status, 0, `scripts/setup-actionlint.sh failed: ${run.stderr}`);
  return run.stdout.trim().split('\n').pop()!;
}

test('release: the workflow files pass actionlint, and actionlint does fail a broken one', (t) => {
  const bin = actionlint();
  assert.ok(existsSync(bin), bin);
  const workflows = readdirSync(join(repoRoot, '.github', 'workflows')).filter((f) => f.endsWith('.yml'));
  assert.deepEqual(workflows.sort(), ['ci.yml', 'release.yml']);
  const ours = spawnSync(bin, ['-color=false', ...workflows.map((f) => join('.github', 'workflows', f))], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(ours.status, 0, ours.stdout + ours.stderr);
  const dir = tempDir(t);
  const broken = join(dir, 'broken.yml');
  writeFileSync(broken, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n');
  const theirs = spawnSync(bin, ['-color=false', broken], { encoding: 'utf8' });
  assert.equal(theirs.status, 1, theirs.stdout);
  assert.match(theirs.stdout, /property "nope" is not defined/);
});
