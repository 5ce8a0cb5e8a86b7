/**
 * The bash script in a real bash: each case sources it, sets the COMP_* variables as readline
 * would for the line typed so far, calls the completion function and prints COMPREPLY.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { shellEnv } from '../../testing/shell-env.js';

const shell = shellEnv();
after(() => shell.cleanup());
const script = shell.script('bash');

/** COMPREPLY for `line` (the cursor at its end; a trailing space starts an empty word). */
function complete(line: string, cwd = shell.project): string[] {
  const words = line.split(' ');
  const program = [
    `source '${script}'`,
    'COMP_WORDS=("$@")',
    'COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
    `COMP_LINE='${line}'`,
    'COMP_POINT=${#COMP_LINE}',
    '_autopilot_complete',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync('bash', ['-c', program, 'bash', ...words], { cwd, env: shell.env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n').filter(Boolean);
}

test('bash: shellcheck finds nothing in the script', () => {
  const r = spawnSync('shellcheck', ['-s', 'bash', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('bash: the script registers its function for the autopilot command', () => {
  const r = spawnSync('bash', ['-c', `source '${script}'; complete -p autopilot`], { env: shell.env, encoding: 'utf8' });
  assert.equal(r.stdout.trim(), 'complete -o default -F _autopilot_complete autopilot');
});

test('bash: commands complete from their first letters', () => {
  assert.deepEqual(complete('autopilot n'), ['new']);
  assert.deepEqual(complete('autopilot c'), ['ctl', 'completion']);
  assert.ok(complete('autopilot ').includes('validate'));
});

test('bash: each command completes its own options', () => {
  assert.deepEqual(complete('autopilot new --'), ['--yes', '--force', '--dry-run', '--json', '--name', '--vendor', '--target', '--consul-agent', '--help']);
  assert.deepEqual(complete('autopilot add backend db --se'), ['--service']);
  assert.deepEqual(complete('autopilot --v'), ['--version']);
});

test('bash: blueprint names after new, kinds after add, shells after completion', () => {
  assert.deepEqual(complete('autopilot new '), ['hello-world', 'todo-api']);
  assert.deepEqual(complete('autopilot new --yes t'), ['todo-api']);
  assert.deepEqual(complete('autopilot add '), ['service', 'backend']);
  assert.deepEqual(complete('autopilot completion z'), ['zsh']);
});

test('bash: add backend completes the services of the project in the current folder', () => {
  assert.deepEqual(complete('autopilot add backend db --service '), ['nginx', 'hello', 'world']);
  assert.deepEqual(complete('autopilot add backend db --service h'), ['hello']);
  assert.deepEqual(complete('autopilot add backend w'), ['world']);
  // Elsewhere there is no project: nothing is offered, and bash falls back to file names.
  assert.deepEqual(complete('autopilot add backend db --service ', shell.env['HOME']), []);
  assert.deepEqual(complete(`autopilot add backend db --dir proj --service w`, shell.env['HOME']), ['world']);
});
