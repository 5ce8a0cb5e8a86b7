/**
 * `add` edits the user's files in place: whatever the user wrote (line endings, flow style,
 * comments) must come out as it went in, and a file that cannot be patched safely is refused
 * with one line and left alone. Through the built CLI on a project made by `new`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { appendToTopLevelArray } from './json5-patch.js';
import { readTree, runCli, tempDir, type CliResult } from './helpers.test.js';

function project(t: TestContext): string {
  const dir = join(tempDir(t), 'p');
  assert.equal(runCli(['new', 'hello-world', dir, '--yes'], { cwd: tempDir(t) }).status, 0);
  return dir;
}

function assertRefused(r: CliResult, pattern: RegExp): void {
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

/** True when `before`'s lines appear, in order, among `after`'s. */
function keepsLines(before: string[], after: string[]): boolean {
  let i = 0;
  for (const line of after) if (line === before[i]) i++;
  return i === before.length;
}

const composeValid = (dir: string) => spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config', '-q'], { encoding: 'utf8' });

test('CRLF files patched by add stay CRLF, every line of the user byte-identical', (t) => {
  const dir = project(t);
  const files = ['docker-compose.yml', 'hello/containerpilot.json5', 'nginx/containerpilot.json5', 'nginx/nginx.conf.ctmpl'];
  const before = new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8').replace(/\n/g, '\r\n')]));
  for (const [f, text] of before) writeFileSync(join(dir, f), text);
  assert.equal(runCli(['add', 'service', 'api', '--port', '3000'], { cwd: dir }).status, 0);
  const r = runCli(['add', 'backend', 'api', '--service', 'nginx', '--service', 'hello'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  for (const [f, text] of before) {
    const after = readFileSync(join(dir, f), 'utf8');
    assert.notEqual(after, text, `${f} was patched`);
    assert.doesNotMatch(after, /(^|[^\r])\n/, `${f}: every line ends in CRLF`);
    assert.ok(keepsLines(text.split('\r\n'), after.split('\r\n')), `${f}: the user's lines are kept`);
  }
});

test('a flow-style services map is extended in place, not rewritten', (t) => {
  const dir = project(t);
  const text = 'services: {consul: {image: "hashicorp/consul:1.20"}, hello: {build: hello/}}  # mine\n';
  writeFileSync(join(dir, 'docker-compose.yml'), text);
  const r = runCli(['add', 'service', 'api', '--port', '3000'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const after = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
  assert.ok(after.startsWith('services: {consul: {image: "hashicorp/consul:1.20"}, hello: {build: hello/}, api: {'), after);
  assert.ok(after.endsWith('}}  # mine\n'), after);
  assert.deepEqual(Object.keys(parse(after).services), ['consul', 'hello', 'api']);
  assert.equal(composeValid(dir).status, 0, composeValid(dir).stderr);
});

test('comments inside empty arrays and maps survive a patch (YAML and JSON5)', (t) => {
  const dir = project(t);
  const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8').replace('  hello:\n    build:', '  hello:\n    ports: [ # none yet\n    ]\n    build:') + '\nvolumes: { # none yet\n}\n';
  writeFileSync(join(dir, 'docker-compose.yml'), compose);
  const r = runCli(['add', 'backend', 'db', '--service', 'hello'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const after = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
  assert.ok(keepsLines(compose.replace('volumes: { # none yet\n', '').split('\n'), after.split('\n')), after);
  assert.match(after, /\nvolumes: \{ db-data: null # none yet\n\}\n$/);
  assert.equal(composeValid(dir).status, 0, composeValid(dir).stderr);

  assert.equal(appendToTopLevelArray('{\n  jobs: [ // none yet\n  ],\n}\n', 'jobs', { name: 'a' }), '{\n  jobs: [ // none yet\n    { name: "a" },\n  ],\n}\n');
  assert.equal(appendToTopLevelArray('{\n  watches: [ /* none, yet */ ],\n}\n', 'watches', { name: 'a' }), '{\n  watches: [ /* none, yet */\n    { name: "a" },\n  ],\n}\n');
  assert.equal(appendToTopLevelArray('{\n  watches: [ /* a */ { name: "x" } ],\n}\n', 'watches', { name: 'a', tags: ['p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'aa', 'bb', 'cc'] }).includes('[ /* a */ { name: "x" },'), true);
});

test('a JSON5 config with a duplicate key is refused by add and by validate, naming file, line and key', (t) => {
  const dir = project(t);
  const file = join(dir, 'hello', 'containerpilot.json5');
  const text = readFileSync(file, 'utf8').replace(/\n {2}jobs:/, '\n  jobs: [],\n  jobs:');
  writeFileSync(file, text);
  const line = text.split('\n').findIndex((l) => l.startsWith('  jobs:')) + 2;
  assertRefused(runCli(['add', 'backend', 'world', '--service', 'hello'], { cwd: dir }), new RegExp(`^error: hello/containerpilot\\.json5:${line}:3: duplicate key "jobs"`));
  assert.equal(readFileSync(file, 'utf8'), text);
  assertRefused(runCli(['validate', 'hello/containerpilot.json5'], { cwd: dir }), new RegExp(`hello/containerpilot\\.json5:${line}:3: duplicate key "jobs"`));
});

test('add service refuses a compose file without a consul service and leaves it as it was', (t) => {
  const dir = project(t);
  writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  hello:\n    build: hello/\n');
  const before = readTree(dir);
  assertRefused(runCli(['add', 'service', 'api', '--port', '3000'], { cwd: dir }), /^error: docker-compose\.yml has no "consul" service/);
  assert.deepEqual(readTree(dir), before);
});

test('--port takes decimal digits only: 0x10, 1e3 and --port=0x10 are refused', (t) => {
  const dir = project(t);
  const before = readTree(dir);
  for (const args of [['--port', '0x10'], ['--port', '1e3'], ['--port=0x10'], ['--port', '08.0']]) {
    assertRefused(runCli(['add', 'service', 'api', ...args], { cwd: dir }), /^error: --port \S+: expected a number from 1 to 65535 \(decimal digits\)$/m);
  }
  assert.deepEqual(readTree(dir), before);
  assert.equal(runCli(['add', 'service', 'api', '--port', '3000'], { cwd: dir }).status, 0);
});
