/**
 * When the file system refuses a write, `new`/`add` print one line naming the path and exit as
 * sysexits says (73 cannot create, 74 I/O error), leaving no file half-written and no temp file.
 * ENOSPC and EROFS are real: a tiny tmpfs in a private mount namespace (`unshare -m`, as root).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { cliPath } from '../testing/paths.js';
import { WriteError } from './errors.js';
import { readTree, runCli, tempDir, type CliResult } from './helpers.test.js';

function project(t: TestContext): string {
  const dir = join(tempDir(t), 'p');
  assert.equal(runCli(['new', 'hello-world', dir, '--yes'], { cwd: tempDir(t) }).status, 0);
  return dir;
}

function assertOneLine(r: CliResult, status: number, pattern: RegExp): void {
  assert.equal(r.status, status, r.stdout + r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
}

/** Runs `add service api` in a copy of `dir` on a fresh tmpfs, after `prepare` (shell) ran there. */
function addOnTmpfs(dir: string, mnt: string, size: string, prepare: string): CliResult & { tree: string } {
  mkdirSync(mnt);
  const script = `set -e; mount -t tmpfs -o size=${size} tmpfs "$1"; cp -r "$2"/. "$1"/; cd "$1"; ${prepare}
set +e; "$3" "$4" add service api --port 3000 2>"$1.err"; echo "$?" >"$1.rc"; find . \\( -name '*autopilot-tmp*' -o -name api \\) -print >"$1.tree"`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', mnt, dir, process.execPath, cliPath], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const read = (ext: string) => spawnSync('cat', [`${mnt}.${ext}`], { encoding: 'utf8' }).stdout;
  return { status: Number(read('rc')), stdout: '', stderr: read('err'), tree: read('tree') };
}

test('a full disk (ENOSPC) exits 74 naming the file, and writes nothing', (t) => {
  const dir = project(t);
  const r = addOnTmpfs(dir, join(tempDir(t), 'mnt'), '64k', 'dd if=/dev/zero of=fill bs=1k count=100 2>/dev/null || true');
  assertOneLine(r, 74, /^error: cannot write \S+\/api\/\S+: no space left on device \(ENOSPC\)$/m);
  assert.equal(r.tree, '', 'no api folder and no temp file');
});

test('a read-only file system (EROFS) exits 73 naming the path', (t) => {
  const dir = project(t);
  const r = addOnTmpfs(dir, join(tempDir(t), 'mnt'), '1m', 'mount -o remount,ro "$1"');
  assertOneLine(r, 73, /^error: cannot write \S+\/api: read-only file system \(EROFS\)$/m);
  assert.equal(r.tree, '');
});

test('a path under a regular file (ENOTDIR) exits 73 naming it', (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'afile'), 'mine\n');
  assertOneLine(runCli(['new', 'hello-world', 'afile/sub', '--yes'], { cwd }), 73, /^error: cannot write \S+\/afile\/sub: a parent is not a directory \(ENOTDIR\)$/m);
  assert.deepEqual(readdirSync(cwd), ['afile']);
});

test('permission errors map to 73 and I/O errors to 74 (EACCES injected: root ignores modes here)', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  assert.deepEqual([WriteError.from(err('EACCES'), '/x/y')?.exitCode, WriteError.from(err('EACCES'), '/x/y')?.message], [73, 'cannot write /x/y: permission denied (EACCES)']);
  assert.equal(WriteError.from(err('EIO'), '/x')?.exitCode, 74);
  assert.equal(WriteError.from(new TypeError('bug'), '/x'), undefined);
});

test("a new service's folder that links out of the project is refused and nothing is written", (t) => {
  const dir = project(t);
  const outside = tempDir(t);
  symlinkSync(outside, join(dir, 'api'));
  const before = readTree(dir);
  assertOneLine(runCli(['add', 'service', 'api', '--port', '3000'], { cwd: dir }), 2, /^error: api\/\S+: api leads out of the project \(to .+\); nothing was written$/m);
  assert.deepEqual(readdirSync(outside), []);
  assert.deepEqual(readTree(dir), before);
});
