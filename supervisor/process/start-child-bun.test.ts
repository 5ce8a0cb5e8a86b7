// On Bun, children start through Bun.spawn (start-child-bun.ts), not node:child_process. The
// spawn, job and health-check tests hold for that path too: run them under Bun's test runner,
// which runs node:test files, and require every one of them to pass there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../testing/paths.js';
import { devBin } from '../../testing/runtimes.js';

const FILES = ['supervisor/process/spawn.test.js', 'supervisor/jobs/job.test.js', 'supervisor/jobs/check.test.js'];

test('under Bun, the spawn, job and health-check tests pass with Bun.spawn underneath', () => {
  const run = spawnSync(devBin('bun'), ['test', ...FILES.map((f) => `./${join('dist', f)}`)], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000 });
  const out = `${run.stdout}${run.stderr}`;
  const pass = Number(/^\s*(\d+) pass$/m.exec(out)?.[1]);
  const fail = Number(/^\s*(\d+) fail$/m.exec(out)?.[1]);
  const ran = /^Ran (\d+) tests? across (\d+) files?/m.exec(out);
  assert.equal(run.status, 0, out.slice(-3000));
  assert.equal(fail, 0, out.slice(-3000));
  // Every file loaded and every test in them passed (none skipped, none left out).
  assert.equal(Number(ran?.[2]), FILES.length, out.slice(-3000));
  assert.equal(pass, Number(ran?.[1]), out.slice(-3000));
  assert.ok(pass > FILES.length, out.slice(-3000));
});
