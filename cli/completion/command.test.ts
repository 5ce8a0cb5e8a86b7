/**
 * `autopilot completion` itself: a usage error for a missing or unknown shell, and scripts that
 * complete and call back the name the command was started as.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliPath } from '../../testing/paths.js';
import { programName } from './program.js';
import { shellEnv } from '../../testing/shell-env.js';

const shell = shellEnv();
after(() => shell.cleanup());

const run = (args: string[]) => spawnSync('autopilot', args, { env: shell.env, encoding: 'utf8' });

test('a missing or unknown shell: one line naming the shells, exit 2', () => {
  for (const [args, what] of [[['completion'], 'missing <shell>'], [['completion', 'tcsh'], 'unknown shell "tcsh"']] as const) {
    const r = run([...args]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `error: completion: ${what}; expected one of: bash, zsh, fish (e.g. autopilot completion bash >> ~/.bashrc)\n`);
  }
});

test('__complete is not listed in the help', () => {
  assert.doesNotMatch(run(['--help']).stdout, /__complete/);
});

test('the scripts name the command as it was started: the bin link, not index.js', () => {
  const link = join(shell.env['HOME']!, 'bin', 'ap');
  symlinkSync(cliPath, link);
  const r = spawnSync(process.execPath, [link, 'completion', 'bash'], { env: shell.env, encoding: 'utf8' });
  assert.match(r.stdout, /\(ap __complete /);
  assert.match(r.stdout, /\ncomplete -o default -F _ap_complete ap\n$/);
  assert.match(run(['completion', 'fish']).stdout, /\ncomplete -c autopilot -n __autopilot_values -f /);
  assert.equal(programName('/usr/lib/node_modules/autopilot-pattern/dist/cli/index.js'), 'autopilot');
  assert.equal(programName('/usr/local/bin/autopilot-dev'), 'autopilot-dev');
});
