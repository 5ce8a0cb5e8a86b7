// Runs compiled node:test files under Bun's test runner (which runs them as they are) and
// requires every test in them to pass there: the Bun-only code paths get the same tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { devBin } from './runtimes.js';

/** `files`: paths under dist/, e.g. 'supervisor/process/spawn.test.js'. */
export function assertPassUnderBun(files: string[]): void {
  const run = spawnSync(devBin('bun'), ['test', ...files.map((f) => `./${join('dist', f)}`)], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000 });
  const out = `${run.stdout}${run.stderr}`;
  const pass = Number(/^\s*(\d+) pass$/m.exec(out)?.[1]);
  const fail = Number(/^\s*(\d+) fail$/m.exec(out)?.[1]);
  const ran = /^Ran (\d+) tests? across (\d+) files?/m.exec(out);
  assert.equal(run.status, 0, out.slice(-3000));
  assert.equal(fail, 0, out.slice(-3000));
  // Every file loaded and every test in them passed (none skipped, none left out).
  assert.equal(Number(ran?.[2]), files.length, out.slice(-3000));
  assert.equal(pass, Number(ran?.[1]), out.slice(-3000));
  assert.ok(pass > files.length, out.slice(-3000));
}
