/** The fish script in a real fish: it parses, and `complete -C` answers from it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { shellEnv } from '../../testing/shell-env.js';

const shell = shellEnv();
after(() => shell.cleanup());
const script = shell.script('fish');

/** `complete -C line` with the script loaded: each candidate (its description cut off). */
function complete(line: string): string[] {
  const r = spawnSync('fish', ['--no-config', '-c', `source '${script}'; complete -C $argv[1]`, line], { cwd: shell.project, env: shell.env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
}

test('fish: the script parses', () => {
  const r = spawnSync('fish', ['--no-execute', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('fish: commands with their descriptions, then options', () => {
  const r = spawnSync('fish', ['--no-config', '-c', `source '${script}'; complete -C 'autopilot n'`], { env: shell.env, encoding: 'utf8' });
  assert.match(r.stdout, /^new\tScaffold a blueprint[^\n]*\n$/);
  assert.deepEqual(complete('autopilot completion --'), ['--help']);
  assert.ok(complete('autopilot new --').includes('--dry-run'));
});

test('fish: blueprints, shells and the services of the project here', () => {
  assert.deepEqual(complete('autopilot new '), ['hello-world', 'todo-api']);
  assert.deepEqual(complete('autopilot completion '), ['bash', 'fish', 'zsh']);
  assert.deepEqual(complete('autopilot add backend db --service '), ['hello', 'nginx', 'world']);
  assert.deepEqual(complete('autopilot add backend db --service w'), ['world']);
});

test('fish: file names where no value is known', () => {
  assert.ok(complete('autopilot validate ').includes('docker-compose.yml'));
});
