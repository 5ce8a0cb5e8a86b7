/**
 * `--json` of `new`, `add` and `validate` (the shapes in docs/cli-json.md), project names checked
 * as service names are, and next steps quoted for the shell, through the built CLI.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from './helpers.test.js';

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

test('new --dry-run --json: the plan, and nothing written; new --json: the result', (t) => {
  const cwd = tempDir(t);
  const plan = runCli(['new', 'hello-world', 'my-app', '--dry-run', '--json'], { cwd });
  assert.equal(plan.status, 0, plan.stderr);
  assert.equal(plan.stderr, '');
  const p = json(plan.stdout);
  assert.deepEqual(Object.keys(p), ['command', 'dryRun', 'blueprint', 'project', 'dir', 'files', 'nextSteps']);
  assert.equal(p['command'], 'new');
  assert.equal(p['dryRun'], true);
  assert.equal(p['project'], 'my-app');
  assert.equal(p['dir'], join(cwd, 'my-app'));
  assert.deepEqual((p['files'] as unknown[]).find((f) => (f as { path: string }).path === '.gitignore'), { path: '.gitignore', action: 'create' });
  assert.equal((p['nextSteps'] as string[])[0], 'cd my-app');
  assert.equal(existsSync(join(cwd, 'my-app')), false);

  const done = json(runCli(['new', 'hello-world', 'my-app', '--json'], { cwd }).stdout);
  assert.equal(done['dryRun'], false);
  assert.deepEqual(done['files'], p['files']);
  assert.ok(existsSync(join(cwd, 'my-app', 'docker-compose.yml')));
  // Over an existing project with --force, the plan says which files it would overwrite.
  const again = json(runCli(['new', 'hello-world', 'my-app', '--dry-run', '--json', '--force'], { cwd }).stdout);
  assert.ok((again['files'] as Array<{ action: string }>).every((f) => f.action === 'overwrite'));
});

test('add --json: plan, result, and the answer when there is nothing to change', (t) => {
  const cwd = tempDir(t);
  assert.equal(runCli(['new', 'hello-world', 'p', '--yes'], { cwd }).status, 0);
  const dir = join(cwd, 'p');
  const plan = json(runCli(['add', 'service', 'billing', '--port', '3003', '--dry-run', '--json'], { cwd: dir }).stdout);
  assert.deepEqual(Object.keys(plan), ['command', 'kind', 'name', 'dir', 'dryRun', 'files', 'notes', 'nextSteps']);
  assert.equal(plan['dryRun'], true);
  assert.ok((plan['files'] as Array<{ path: string; action: string }>).some((f) => f.path === 'docker-compose.yml' && f.action === 'update'));
  assert.ok((plan['files'] as Array<{ path: string; action: string }>).some((f) => f.path === 'billing/index.js' && f.action === 'create'));
  assert.equal(runCli(['add', 'service', 'billing', '--port', '3003'], { cwd: dir }).status, 0);
  const backend = json(runCli(['add', 'backend', 'billing', '--service', 'nginx', '--json'], { cwd: dir }).stdout);
  assert.equal(backend['dryRun'], false);
  assert.deepEqual(backend['nextSteps'], ['docker compose up -d --build nginx']);
  const twice = runCli(['add', 'backend', 'billing', '--service', 'nginx', '--json'], { cwd: dir });
  assert.equal(twice.status, 0, twice.stderr);
  assert.deepEqual(json(twice.stdout)['files'], []);
});

test('validate takes many files (and shell globs), says "1 job", and has --json', (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'one.json5'), '{ consul: "c:8500", jobs: [{ name: "a", exec: "a" }] }\n');
  writeFileSync(join(cwd, 'bad.json5'), '{ consul: "c:8500", jobs: [{ name: "a", exec: "a", colour: 1 }] }\n');
  const ok = runCli(['validate', 'one.json5', 'one.json5'], { cwd });
  assert.deepEqual(ok, { status: 0, stdout: 'ok: one.json5 (1 job, 0 watches)\n'.repeat(2), stderr: '' });
  const mixed = runCli(['validate', 'one.json5', 'bad.json5', 'nope.json5', '--json'], { cwd });
  assert.equal(mixed.status, 2);
  assert.equal(mixed.stderr, '');
  const r = json(mixed.stdout) as { valid: boolean; files: Array<Record<string, unknown>> };
  assert.equal(r.valid, false);
  assert.deepEqual(r.files[0], { file: 'one.json5', valid: true, jobs: 1, watches: 0, warnings: [], errors: [] });
  assert.equal(r.files[1]!['valid'], false);
  assert.match((r.files[1]!['errors'] as string[])[0]!, /colour/);
  assert.deepEqual(r.files[2]!['errors'], ['config not found: nope.json5']);
});

test('new checks the project name as add checks a service name, and suggests a valid one', (t) => {
  const cwd = tempDir(t);
  const byDir = runCli(['new', 'hello-world', 'My App!', '--yes'], { cwd });
  assert.equal(byDir.status, 2);
  assert.equal(byDir.stderr, 'error: invalid project name "My App!" (the directory\'s name): use lowercase letters, digits and "-", starting with a letter; pass --name my-app, or use a directory named my-app\n');
  assert.equal(existsSync(join(cwd, 'My App!')), false);
  const byFlag = runCli(['new', 'hello-world', 'x', '--name', '2 Fast', '--yes'], { cwd });
  assert.match(byFlag.stderr, /^error: invalid project name "2 Fast": .* \(e\.g\. --name app-2-fast\)\n$/);
  assert.equal(runCli(['new', 'hello-world', 'p', '--yes'], { cwd }).status, 0);
  const service = runCli(['add', 'service', 'Bad Name!'], { cwd: join(cwd, 'p') });
  assert.match(service.stderr, /^error: invalid service name "Bad Name!": .* \(e\.g\. "bad-name"\)\n$/);
});

test("next steps quote a directory for the shell where it needs it: cd 'my dir'", (t) => {
  const cwd = tempDir(t);
  mkdirSync(join(cwd, 'sub'));
  const r = runCli(['new', 'hello-world', "my dir's", '--name', 'my-dir', '--yes'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Next steps:\n {2}cd 'my dir'\\''s'\n/);
  assert.match(runCli(['new', 'hello-world', 'sub/plain', '--yes'], { cwd }).stdout, /Next steps:\n {2}cd sub\/plain\n/);
});
