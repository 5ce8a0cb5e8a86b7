/**
 * `new` and `add` give the same files on Bun and Deno as on Node (the CLI spawned on each).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath, repoRoot } from '../testing/paths.js';
import { readTree, tempDir } from './helpers.test.js';

const RUNTIMES: Record<string, string[]> = {
  node: [process.execPath],
  bun: [join(repoRoot, 'node_modules', '.bin', 'bun')],
  deno: [join(repoRoot, 'node_modules', '.bin', 'deno'), 'run', '-A'],
};

const STEPS = [
  { cwd: '.', args: ['new', 'todo-api', 'app', '--yes'] },
  { cwd: 'app', args: ['add', 'backend', 'cache', '--service', 'api', '--yes'] },
  { cwd: 'app', args: ['add', 'service', 'billing', '--port', '3003', '--yes'] },
  { cwd: 'app', args: ['add', 'backend', 'billing', '--service', 'nginx', '--yes'] },
];

test('new and add write the same project on Node, Bun and Deno', (t) => {
  const trees: Record<string, Record<string, string>> = {};
  for (const [name, cmd] of Object.entries(RUNTIMES)) {
    const root = join(tempDir(t), name);
    mkdirSync(root);
    for (const step of STEPS) {
      const r = spawnSync(cmd[0]!, [...cmd.slice(1), cliPath, ...step.args], {
        cwd: join(root, step.cwd),
        env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
        input: '',
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 0, `${name} ${step.args.join(' ')}: ${r.error?.message ?? ''}${r.stderr}`);
    }
    trees[name] = readTree(join(root, 'app'));
  }
  assert.ok(Object.keys(trees['node']!).length > 15);
  assert.deepEqual(trees['bun'], trees['node']);
  assert.deepEqual(trees['deno'], trees['node']);
});
