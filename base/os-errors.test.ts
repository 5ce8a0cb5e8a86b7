import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { osErrorWords, readFailure } from './os-errors.js';

/** The error a real read of `path` gives. */
function readError(path: string): unknown {
  try {
    readFileSync(path);
  } catch (err) {
    return err;
  }
  assert.fail(`${path} was readable`);
}

test('os errors: real failures of the file system, in words, with the path', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ap-oserr-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'file'), '');
  assert.equal(readFailure('config', './x.json5', readError(join(dir, 'x.json5'))), 'config not found: ./x.json5');
  assert.equal(readFailure('config', dir, readError(dir)), `cannot read config ${dir}: is a directory`);
  assert.equal(readFailure('template', 'file/t', readError(join(dir, 'file', 't'))), 'cannot read template file/t: a part of the path is not a directory');
});

test('os errors: codes a test cannot provoke as root are worded too; anything else keeps its message', () => {
  const coded = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
  assert.equal(osErrorWords(coded('EACCES')), 'permission denied');
  assert.equal(osErrorWords(coded('ENOSPC')), 'no space left on device');
  assert.equal(osErrorWords(coded('EWEIRD')), 'EWEIRD');
  assert.equal(osErrorWords(new Error('plain')), 'plain');
});
