import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeIfChanged } from './write.js';

test('writes only when the content differs, atomically, keeping the mode', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'render-write-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'sub', 'nginx.conf');
  assert.equal(writeIfChanged(out, 'one\n'), true);
  assert.equal(readFileSync(out, 'utf8'), 'one\n');
  assert.equal(statSync(out).mode & 0o777, 0o644);

  chmodSync(out, 0o600);
  const before = statSync(out);
  assert.equal(writeIfChanged(out, 'one\n'), false);
  const same = statSync(out);
  assert.equal(same.ino, before.ino);
  assert.equal(same.mtimeMs, before.mtimeMs);

  assert.equal(writeIfChanged(out, 'two\n'), true);
  const after = statSync(out);
  assert.notEqual(after.ino, before.ino); // replaced by rename, not rewritten in place
  assert.equal(after.mode & 0o777, 0o600);
  assert.equal(readFileSync(out, 'utf8'), 'two\n');
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['nginx.conf']);
});

test('a failed write leaves the target and no temporary file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'render-write-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const blocker = join(dir, 'file');
  writeFileSync(blocker, 'x');
  // The destination's directory is a regular file: nothing can be written there.
  assert.throws(() => writeIfChanged(join(blocker, 'out.conf'), 'y'));
  assert.deepEqual(readdirSync(dir), ['file']);
});
