/**
 * How `new` finds the checksums to pin, run for real with the single-file binary laid out as a
 * release ships it: a platform package (bin/autopilot, SHA256SUMS one folder up) and a download
 * (SHA256SUMS beside it). Trusted only when the file lists the running binary itself.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir } from '../generators/helpers.test.js';
import { binaryPath } from '../testing/runtimes.js';
import { parseChecksums } from './supervisor-source.js';

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const own = sha(readFileSync(binaryPath));

/** The binary at `dir/<rel>`, hard-linked when it can be (it is about 100 MB). */
function placeBinary(dir: string, rel: string): string {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  try {
    linkSync(binaryPath, path);
  } catch {
    copyFileSync(binaryPath, path);
  }
  return path;
}

function newProject(t: TestContext, binary: string, extra: string[] = []) {
  const cwd = tempDir(t);
  const r = spawnSync(binary, ['new', 'hello-world', 'p', '--yes', ...extra], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return { dir: join(cwd, 'p'), dockerfile: readFileSync(join(cwd, 'p', 'hello', 'Dockerfile'), 'utf8') };
}

const sums = (x64: string) => `${x64}  autopilot-linux-x64\n${'b'.repeat(64)}  autopilot-linux-arm64\n${'c'.repeat(64)}  autopilot-linux-x64-musl\n${'d'.repeat(64)}  autopilot-linux-arm64-musl\n`;

test('parseChecksums reads sha256sum lines of the four release binaries and nothing else', () => {
  const parsed = parseChecksums(`${sums('a'.repeat(64))}${'e'.repeat(64)}  something-else\nnot a line\n${'f'.repeat(63)}  autopilot-linux-x64\n`);
  assert.deepEqual(parsed, { 'linux-x64': 'a'.repeat(64), 'linux-arm64': 'b'.repeat(64), 'linux-x64-musl': 'c'.repeat(64), 'linux-arm64-musl': 'd'.repeat(64) });
});

test('the binary in a platform package pins the SHA256SUMS one folder up, which lists it', (t) => {
  const pkg = tempDir(t);
  const binary = placeBinary(pkg, 'bin/autopilot');
  writeFileSync(join(pkg, 'SHA256SUMS'), sums(own));
  const { dockerfile } = newProject(t, binary);
  assert.match(dockerfile, new RegExp(`arch=x64 sha256=${own} ;;`));
  assert.match(dockerfile, /arch=arm64 sha256=b{64} ;;/);
  assert.match(dockerfile, /sha256sum -c -/);
});

test('a SHA256SUMS that does not list the running binary is ignored: the version alone is pinned', (t) => {
  const dir = tempDir(t);
  const binary = placeBinary(dir, 'autopilot-linux-x64');
  writeFileSync(join(dir, 'SHA256SUMS'), sums('a'.repeat(64)));
  const { dockerfile } = newProject(t, binary);
  assert.doesNotMatch(dockerfile, /sha256=/);
  assert.match(dockerfile, /only\n# the version is pinned/);
});

test('--vendor from the binary copies that binary into every build context', (t) => {
  const dir = tempDir(t);
  const binary = placeBinary(dir, 'autopilot');
  const { dir: project, dockerfile } = newProject(t, binary, ['--vendor']);
  assert.match(dockerfile, /^COPY autopilot \/usr\/local\/bin\/autopilot$/m);
  for (const svc of ['nginx', 'hello', 'world']) {
    const copy = join(project, svc, 'autopilot');
    assert.equal(statSync(copy).size, statSync(binary).size, svc);
    assert.equal(statSync(copy).mode & 0o111, 0o111, `${svc}/autopilot is executable`);
  }
  assert.equal(sha(readFileSync(join(project, 'hello', 'autopilot'))), own);
});
