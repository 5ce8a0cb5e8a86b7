/**
 * `autopilot __complete <words...>`: the candidates for the last word, from the real command
 * definitions (in-process through `main`), a real generated project, and, spawned, the promise
 * that a TAB never prints an error and always exits 0.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../main.js';
import { shellEnv } from '../../testing/shell-env.js';

const shell = shellEnv();
after(() => shell.cleanup());

/** What `__complete` prints for `words`, one candidate a line, run in this process. */
async function complete(...words: string[]): Promise<string[]> {
  const out: string[] = [];
  const write = process.stdout.write;
  // Only the strings: the test runner reports to its parent through stdout too, in binary.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    typeof chunk === 'string' ? out.push(chunk) > 0 : write.call(process.stdout, chunk, ...rest)) as typeof write;
  let code: number | void;
  try {
    code = await main(['__complete', ...words]);
  } finally {
    process.stdout.write = write;
  }
  assert.equal(code, 0);
  return out.join('').split('\n').filter(Boolean);
}

test('commands and global options before a command', async () => {
  assert.deepEqual(await complete('v'), ['validate', 'version']);
  assert.ok((await complete('')).includes('completion'));
  assert.deepEqual(await complete(), await complete(''));
  assert.deepEqual(await complete('--v'), ['--version']);
  assert.deepEqual(await complete('--json', 'n'), ['new']);
});

test('each command\'s options, --help included', async () => {
  assert.deepEqual(await complete('migrate', '-'), ['--out', '-o', '--force', '-h', '--help']);
  assert.deepEqual(await complete('add', 'backend', 'db', '--d'), ['--dir', '--dry-run']);
});

test('arguments: blueprints, add kinds, shells, commands for help', async () => {
  assert.deepEqual(await complete('new', ''), ['hello-world', 'todo-api']);
  assert.deepEqual(await complete('new', '--name', 'x', 'h'), ['hello-world']);
  assert.deepEqual(await complete('new', 'hello-world', ''), [], 'the directory is left to the shell');
  assert.deepEqual(await complete('add', ''), ['service', 'backend']);
  assert.deepEqual(await complete('completion', ''), ['bash', 'zsh', 'fish']);
  assert.deepEqual(await complete('help', 'mi'), ['migrate']);
  assert.deepEqual(await complete('add', 'backend', 'cache', '--image', 'p'), ['postgres']);
});

test('services of the project in --dir: backend names, and --service values without the backend itself', async () => {
  const dir = shell.project;
  assert.deepEqual(await complete('add', 'backend', '--dir', dir, ''), ['consul', 'nginx', 'hello', 'world']);
  assert.deepEqual(await complete('add', 'backend', 'world', '--dir', dir, '--service', ''), ['nginx', 'hello']);
  assert.deepEqual(await complete('add', 'backend', 'db', `--dir=${dir}`, '--service', 'n'), ['nginx']);
  assert.deepEqual(await complete('add', 'backend', 'db', '--dir', dir, '--service', 'hello,'), ['hello,nginx', 'hello,world']);
  assert.deepEqual(await complete('add', 'service', '--dir', dir, ''), [], 'a new service has a new name');
});

test('nothing after --, after an unknown command, or for an option without known values', async () => {
  assert.deepEqual(await complete('run', '--', ''), []);
  assert.deepEqual(await complete('frobnicate', ''), []);
  assert.deepEqual(await complete('migrate', 'x.json', '--out', ''), []);
});

test('spawned: the services of the project in the current folder; a broken project gives nothing, quietly, exit 0', () => {
  const run = (cwd: string) => spawnSync('autopilot', ['__complete', 'add', 'backend', 'db', '--service', ''], { cwd, env: shell.env, encoding: 'utf8' });
  const here = run(shell.project);
  assert.deepEqual([here.status, here.stdout, here.stderr], [0, 'nginx\nhello\nworld\n', '']);
  const broken = join(shell.env['HOME']!, 'broken');
  mkdirSync(broken);
  writeFileSync(join(broken, 'docker-compose.yml'), 'services: [unclosed\n');
  const r = run(broken);
  assert.deepEqual([r.status, r.stdout, r.stderr], [0, '', '']);
});
