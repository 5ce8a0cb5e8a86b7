/**
 * The zsh script in a real zsh: it parses (`zsh -n`), and its function, called with `words` and
 * `CURRENT` set as the completion system sets them, hands the right words to zsh's completion
 * builtins (stood in for by functions that print what they are given: they need a terminal).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { shellEnv } from '../../testing/shell-env.js';

const shell = shellEnv();
after(() => shell.cleanup());
const script = shell.script('zsh');

const STAND_INS = [
  'compdef() { print -r -- "compdef $*" }',
  '_describe() { local -a _e; _e=("${(@P)${@[-1]}}"); print -rl -- "${(@)_e%%:*}" }',
  'compadd() { print -rl -- "${(@P)${@[-1]}}" }',
  "_files() { print -r -- '<files>' }",
].join('\n');

/** What `_autopilot` offers for `line` (the cursor at its end). */
function complete(line: string): string[] {
  const program = `${STAND_INS}\nsource '${script}'\nwords=("$@")\nCURRENT=$#words\n_autopilot`;
  const r = spawnSync('zsh', ['-f', '-c', program, 'zsh', ...line.split(' ')], { cwd: shell.project, env: shell.env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n').filter((l) => l && !l.startsWith('compdef '));
}

test('zsh: the script parses and registers _autopilot for autopilot', () => {
  const parsed = spawnSync('zsh', ['-n', script], { encoding: 'utf8' });
  assert.equal(parsed.status, 0, parsed.stderr);
  const r = spawnSync('zsh', ['-f', '-c', `${STAND_INS}\nsource '${script}'`], { env: shell.env, encoding: 'utf8' });
  assert.equal(r.stdout, 'compdef _autopilot autopilot\n');
});

test('zsh: commands, then each command\'s options', () => {
  assert.ok(complete('autopilot n').includes('new'));
  assert.ok(complete('autopilot ').includes('completion'));
  assert.deepEqual(complete('autopilot new --'), ['--yes', '-y', '--force', '--dry-run', '--json', '--name', '--vendor', '--target', '--consul-agent', '-h', '--help']);
});

test('zsh: blueprints, services of the project here, and file names when nothing else fits', () => {
  assert.deepEqual(complete('autopilot new '), ['hello-world', 'todo-api']);
  assert.deepEqual(complete('autopilot add backend db --service '), ['nginx', 'hello', 'world']);
  assert.deepEqual(complete('autopilot validate '), ['<files>']);
});
