/**
 * `autopilot new` and `autopilot add` through the built CLI, with stdin a pipe (not a terminal):
 * they must never prompt, and every mistake is one line on stderr, exit code 2, nothing written.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBlueprint } from '../blueprints/index.js';
import { VERSION } from '../base/version.js';
import { opsToFiles, readTree, runCli, tempDir, type CliResult } from './helpers.test.js';
import { planNew } from './plan-new.js';

const ANSI = /\x1b\[/;

function assertOneLineError(r: CliResult, pattern: RegExp): void {
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

test('new hello-world my-app: without --yes and without a terminal it asks nothing and writes the blueprint', (t) => {
  const cwd = tempDir(t);
  const r = runCli(['new', 'hello-world', 'my-app'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readTree(join(cwd, 'my-app')), opsToFiles(planNew({ blueprint: findBlueprint('hello-world')!, project: 'my-app', supervisor: { version: VERSION, sha256: {}, vendor: false } })));
  assert.match(r.stdout, /Done: 14 files in my-app\./);
  assert.match(r.stdout, /\nCompose v1: type docker-compose where a step says docker compose\.\n\nNext steps:\n {2}cd my-app\n {2}docker compose up -d --build\n/);
  assert.doesNotMatch(r.stdout + r.stderr, ANSI);
});

test('new todo-api api-demo --yes, and the directory defaults to the blueprint name', (t) => {
  const cwd = tempDir(t);
  assert.equal(runCli(['new', 'todo-api', 'api-demo', '--yes'], { cwd }).status, 0);
  const files = readTree(join(cwd, 'api-demo'));
  for (const p of ['api/index.js', 'api/package-lock.json', 'mongo/containerpilot.json5', 'docker-compose.yml']) assert.ok(p in files, p);
  assert.match(files['README.md']!, /^# api-demo\n/);
  const r = runCli(['new', 'todo-api', '--yes', '--name', 'shop'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  assert.match(readTree(join(cwd, 'todo-api'))['README.md']!, /^# shop\n/);
});

test('new into the current (empty) directory takes its name and skips the cd step', (t) => {
  const cwd = join(tempDir(t), 'shop-front');
  mkdirSync(cwd);
  const r = runCli(['new', 'hello-world', '.', '--yes'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  assert.match(readTree(cwd)['README.md']!, /^# shop-front\n/);
  assert.match(r.stdout, /Next steps:\n {2}docker compose up -d --build\n/);
});

test('new into a directory whose parents do not exist yet creates them', (t) => {
  const cwd = tempDir(t);
  const r = runCli(['new', 'hello-world', join('a', 'b', 'my-app'), '--yes'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  assert.match(readTree(join(cwd, 'a', 'b', 'my-app'))['README.md']!, /^# my-app\n/);
});

test('new --dry-run prints the plan and writes nothing', (t) => {
  const cwd = tempDir(t);
  const r = runCli(['new', 'hello-world', 'my-app', '--dry-run'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /create docker-compose\.yml \(\d+ lines\)/);
  assert.match(r.stdout, /create nginx\/nginx\.conf\.ctmpl \(\d+ lines\)/);
  assert.match(r.stdout, /Dry run: nothing was written\./);
  assert.equal(existsSync(join(cwd, 'my-app')), false);
});

test('new refuses a non-empty directory unless --force, which keeps unrelated files', (t) => {
  const cwd = tempDir(t);
  mkdirSync(join(cwd, 'my-app'));
  writeFileSync(join(cwd, 'my-app', 'notes.txt'), 'mine\n');
  assertOneLineError(runCli(['new', 'hello-world', 'my-app', '--yes'], { cwd }), /^error: my-app is not empty \(use --force/);
  assert.deepEqual(readTree(join(cwd, 'my-app')), { 'notes.txt': 'mine\n' });
  assert.equal(runCli(['new', 'hello-world', 'my-app', '--yes', '--force'], { cwd }).status, 0);
  const files = readTree(join(cwd, 'my-app'));
  assert.equal(files['notes.txt'], 'mine\n');
  assert.ok('docker-compose.yml' in files);
});

test('new: missing or unknown blueprint and a file in the way are one-line errors', (t) => {
  const cwd = tempDir(t);
  assertOneLineError(runCli(['new'], { cwd }), /which blueprint\? .*hello-world, todo-api/);
  assertOneLineError(runCli(['new', 'nope', 'x', '--yes'], { cwd }), /unknown blueprint "nope"; blueprints: hello-world, todo-api/);
  assertOneLineError(runCli(['new', 'helo-world', 'x', '--yes'], { cwd }), /unknown blueprint "helo-world" \(did you mean "hello-world"\?\); blueprints: hello-world, todo-api/);
  writeFileSync(join(cwd, 'afile'), '');
  assertOneLineError(runCli(['new', 'hello-world', 'afile', '--yes'], { cwd }), /afile exists and is not a directory/);
  assert.deepEqual(readTree(cwd), { afile: '' });
});

test('add backend, twice, add service, and their mistakes, in a generated project', (t) => {
  const cwd = tempDir(t);
  assert.equal(runCli(['new', 'hello-world', 'my-app', '--yes'], { cwd }).status, 0);
  const app = join(cwd, 'my-app');
  const first = runCli(['add', 'backend', 'db', '--service', 'hello', '--yes'], { cwd: app });
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^Adding backend db\n {2}create db\/Dockerfile\n {2}create db\/containerpilot\.json5\n {2}update docker-compose\.yml\n {2}update hello\/containerpilot\.json5\n {2}create hello\/onchange-db\.sh\n/);
  assert.match(first.stdout, /db is mongo \(mongo:7\.0\), its data in the volume db-data/);
  const afterFirst = readTree(app);

  const again = runCli(['add', 'backend', 'db', '--service', 'hello', '--yes'], { cwd: app });
  assert.equal(again.status, 0);
  assert.match(again.stdout, /^Nothing to change: hello already depends on db/);
  assert.deepEqual(readTree(app), afterFirst);

  const dry = runCli(['add', 'backend', 'world', '--service', 'hello', '--dry-run', '--dir', app], { cwd });
  assert.equal(dry.status, 0, dry.stderr);
  // hello already waits for db: now it waits for both, and the diff shows the one line replaced.
  assert.match(dry.stdout, /update hello\/containerpilot\.json5 \(\+\d+ -1\)\n {6}- {7}when: \{ source: "watch\.db", once: "healthy" \},\n {6}\+ {7}when: \{\n {6}\+ {9}source: \["watch\.db", "watch\.world"\],\n/);
  assert.deepEqual(readTree(app), afterFirst);

  assert.equal(runCli(['add', 'service', 'billing', '--port', '3003', '--yes'], { cwd: app }).status, 0);
  const afterService = readTree(app);
  assert.ok('billing/index.js' in afterService && afterService['docker-compose.yml']!.includes('\n  billing:\n'));

  assertOneLineError(runCli(['add', 'service', 'billing', '--port', '3009'], { cwd: app }), /service "billing" already exists/);
  mkdirSync(join(app, 'shop'));
  writeFileSync(join(app, 'shop', 'index.js'), '// mine\n');
  assertOneLineError(runCli(['add', 'service', 'shop', '--port', '3009'], { cwd: app }), /^error: would overwrite shop\/index\.js \(use --force to overwrite\)\n$/);
  assert.deepEqual(readTree(join(app, 'shop')), { 'index.js': '// mine\n' });
  assert.equal(readTree(app)['docker-compose.yml'], afterService['docker-compose.yml']);
  assertOneLineError(runCli(['add', 'service', 'shop', '--port', '3001'], { cwd: app }), /^error: port 3001 is already used by hello\n$/);
  assertOneLineError(runCli(['add', 'service', 'shop', '--port', 'abc'], { cwd: app }), /--port abc: expected a number/);
  assertOneLineError(runCli(['add', 'backend', 'db', '--service', 'nope'], { cwd: app }), /unknown service "nope"/);
  assertOneLineError(runCli(['add', 'backend', 'db', '--image', 'redis'], { cwd: app }), /^error: --image redis: "db" is already a service of this project, and not redis; /);
  assertOneLineError(runCli(['add', 'backend', 'cache', '--image', 'redsi'], { cwd: app }), /^error: --image redsi: expected one of mongo, postgres, mysql, redis \(did you mean "redis"\?\)\n$/);
  assertOneLineError(runCli(['add', 'backend', 'hello', '--external'], { cwd: app }), /^error: --external: "hello" is a service of this project/);
  assertOneLineError(runCli(['add', 'thing', 'x'], { cwd: app }), /unknown kind "thing"/);
  assertOneLineError(runCli(['add', 'servce', 'x'], { cwd: app }), /unknown kind "servce" \(did you mean "service"\?\)/);
  assertOneLineError(runCli(['add', 'backend', 'db', '--service', 'hello'], { cwd }), /no docker-compose\.yml here/);
  assert.deepEqual(readTree(app), { ...afterService, 'shop/index.js': '// mine\n' });
  const forced = runCli(['add', 'service', 'shop', '--port', '3009', '--force'], { cwd: app });
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(readTree(app)['shop/index.js']!, /const WORD = 'Shop';/);
});

test('--help for every generator command, with examples', (t) => {
  const cwd = tempDir(t);
  const top = runCli(['--help'], { cwd });
  assert.match(top.stdout, /new \[blueprint\] \[dir\]/);
  assert.match(top.stdout, /add <kind> <name>/);
  const help = runCli(['new', '--help'], { cwd });
  assert.equal(help.status, 0);
  for (const s of ['--yes', '--force', '--dry-run', 'autopilot new todo-api api-demo --yes']) assert.ok(help.stdout.includes(s), s);
  const addHelp = runCli(['add', '--help'], { cwd });
  for (const s of ['--service <svc>', '--port <port>', '--dir <dir>', 'autopilot add service billing --port 3003']) assert.ok(addHelp.stdout.includes(s), s);
});

test('colour only when asked for, and NO_COLOR always wins', (t) => {
  const cwd = tempDir(t);
  const colored = runCli(['new', 'hello-world', 'a', '--dry-run'], { cwd, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
  assert.match(colored.stdout, ANSI);
  const plain = runCli(['new', 'hello-world', 'a', '--dry-run'], { cwd, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
  assert.doesNotMatch(plain.stdout, ANSI);
  const piped = runCli(['new', 'hello-world', 'a', '--dry-run'], { cwd, env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
  assert.doesNotMatch(piped.stdout, ANSI);
});
