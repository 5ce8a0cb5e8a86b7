import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { repoRoot } from '../testing/paths.js';
import { applyPlan, describePlan } from './apply.js';
import { GeneratorError } from './errors.js';
import { readTree, runNode, tempDir } from './helpers.test.js';
import type { FileOp } from './types.js';

const create = (path: string, content: string, mode?: number): FileOp => ({ path, content, action: 'create', mode });

test('writes every file with its mode, creating folders, and leaves no temp file', async (t) => {
  const dir = tempDir(t);
  const { written } = await applyPlan([create('a.txt', 'A\n'), create('x/y/run.sh', '#!/bin/sh\n', 0o755)], { dir });
  assert.deepEqual(written, ['a.txt', 'x/y/run.sh']);
  assert.deepEqual(readTree(dir), { 'a.txt': 'A\n', 'x/y/run.sh': '#!/bin/sh\n' });
  assert.equal(statSync(join(dir, 'x/y/run.sh')).mode & 0o777, 0o755);
  assert.equal(statSync(join(dir, 'a.txt')).mode & 0o777, 0o644);
});

test('never overwrites without --force; nothing at all is written when one file conflicts', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'keep.txt'), 'mine\n');
  const plan = [create('new/one.txt', '1\n'), create('keep.txt', 'theirs\n')];
  await assert.rejects(applyPlan(plan, { dir }), (err: Error) => err instanceof GeneratorError && err.message === 'would overwrite keep.txt (use --force to overwrite)');
  assert.deepEqual(readTree(dir), { 'keep.txt': 'mine\n' });
  assert.equal(existsSync(join(dir, 'new')), false);
  await applyPlan(plan, { dir, force: true });
  assert.deepEqual(readTree(dir), { 'keep.txt': 'theirs\n', 'new/one.txt': '1\n' });
});

test('--dry-run writes nothing and shows each file, with a diff summary for changes', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'c.json5'), '{\n  a: 1,\n}\n');
  const lines: string[] = [];
  const plan: FileOp[] = [create('n/new.txt', 'x\ny\n'), { path: 'c.json5', action: 'update', previous: '{\n  a: 1,\n}\n', content: '{\n  a: 2,\n  b: 3,\n}\n' }];
  const { written } = await applyPlan(plan, { dir, dryRun: true, print: (l) => lines.push(l) });
  assert.deepEqual(written, []);
  assert.deepEqual(lines, ['create n/new.txt (2 lines)', 'update c.json5 (+2 -1)', '    -   a: 1,', '    +   a: 2,', '    +   b: 3,']);
  assert.deepEqual(readTree(dir), { 'c.json5': '{\n  a: 1,\n}\n' });
  assert.deepEqual(describePlan([create('c.json5', '')], new Set(['c.json5'])), ['overwrite c.json5 (0 lines)']);
});

test('an update keeps the file mode and refuses a file that changed since planning', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'hook.sh'), 'echo 1\n');
  chmodSync(join(dir, 'hook.sh'), 0o750);
  await applyPlan([{ path: 'hook.sh', action: 'update', previous: 'echo 1\n', content: 'echo 2\n' }], { dir });
  assert.equal(readFileSync(join(dir, 'hook.sh'), 'utf8'), 'echo 2\n');
  assert.equal(statSync(join(dir, 'hook.sh')).mode & 0o777, 0o750);
  await assert.rejects(applyPlan([{ path: 'hook.sh', action: 'update', previous: 'echo 1\n', content: 'x' }], { dir }), /hook\.sh changed while planning/);
});

test('a failure while staging removes the staged files and the folders it made', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'blocker'), '');
  const plan = [create('a/b/one.txt', '1\n'), create('blocker/two.txt', '2\n')];
  await assert.rejects(applyPlan(plan, { dir }), /ENOTDIR|EEXIST/);
  assert.deepEqual(readTree(dir), { blocker: '' });
  assert.equal(existsSync(join(dir, 'a')), false);
});

test('files staged together: a failure among many leaves no temp file and no new folder; a clean run writes them all', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'blocker'), '');
  const many = Array.from({ length: 30 }, (_, i) => create(`d${i % 4}/sub/f${i}.txt`, `${i}\n`.repeat(500), i % 2 ? 0o755 : undefined));
  await assert.rejects(applyPlan([...many.slice(0, 15), create('blocker/x.txt', 'x\n'), ...many.slice(15)], { dir }), /ENOTDIR|EEXIST/);
  assert.deepEqual(readdirSync(dir), ['blocker']);
  const { written } = await applyPlan(many, { dir });
  assert.deepEqual(written, many.map((op) => op.path));
  const tree = readTree(dir);
  assert.equal(Object.keys(tree).length, 31);
  for (const [i, op] of many.entries()) {
    assert.equal(tree[op.path], op.content);
    assert.equal(statSync(join(dir, op.path)).mode & 0o777, i % 2 ? 0o755 : 0o644, op.path);
  }
});

test('Ctrl-C (SIGINT) before the renames: exit 130 and nothing written, not even a temp file', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'out'));
  const script = join(dir, 'interrupt.mjs');
  const applyUrl = pathToFileURL(join(repoRoot, 'dist/generators/apply.js')).href;
  writeFileSync(
    script,
    `import { applyPlan } from ${JSON.stringify(applyUrl)};
const plan = Array.from({ length: 20 }, (_, i) => ({ path: 'd' + (i % 3) + '/f' + i + '.txt', content: 'x'.repeat(10000), action: 'create' }));
applyPlan(plan, { dir: ${JSON.stringify(join(dir, 'out'))}, onStaged: () => { process.kill(process.pid, 'SIGINT'); return new Promise((r) => setTimeout(r, 50)); } })
  .then(() => { console.log('written'); process.exit(0); }, (err) => { console.log(err.name); process.exit(err.name === 'InterruptedError' ? 130 : 1); });
`,
  );
  const r = await runNode(script, {});
  assert.equal(r.status, 130, r.stdout + r.stderr);
  assert.equal(r.stdout.trim(), 'InterruptedError');
  assert.deepEqual(readTree(join(dir, 'out')), {});
});
