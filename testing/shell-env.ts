/**
 * What the shell tests share: a temp folder whose bin/ holds `autopilot` (the built CLI run by
 * this Node, as npm's bin link runs it), put first on PATH, and a hello-world project generated
 * by that command, whose services the completion offers.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliPath } from './paths.js';

export interface ShellEnv {
  env: NodeJS.ProcessEnv;
  /** A generated hello-world project (services consul, nginx, hello, world). */
  project: string;
  /** The script `autopilot completion <shell>` prints, as a file. */
  script(shell: string): string;
  cleanup(): void;
}

export function shellEnv(): ShellEnv {
  const root = mkdtempSync(join(tmpdir(), 'autopilot-completion-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'autopilot'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
  chmodSync(join(bin, 'autopilot'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env['PATH']}`, HOME: root, NO_COLOR: '1' };
  const made = spawnSync('autopilot', ['new', 'hello-world', 'proj', '--yes'], { cwd: root, env, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  return {
    env,
    project: join(root, 'proj'),
    script(shell) {
      const r = spawnSync('autopilot', ['completion', shell], { cwd: root, env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const file = join(root, `completion.${shell}`);
      writeFileSync(file, r.stdout);
      return file;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
