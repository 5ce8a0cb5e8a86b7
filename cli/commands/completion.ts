/**
 * `autopilot completion bash|zsh|fish` prints the shell's completion script; the hidden
 * `autopilot __complete <words...>` is what those scripts call for values that live outside
 * them (blueprints, the services of the project in the current folder).
 */
import type { CAC } from 'cac';
import { candidates } from '../completion/candidates.js';
import { SHELLS, completionScript, isShell } from '../completion/index.js';
import { programName } from '../completion/program.js';
import { diskSources } from '../completion/sources.js';
import { cliSpec } from '../completion/spec.js';
import { UserError } from '../../base/errors.js';
import { invokedPath } from '../invoked-name.js';

export async function completionCommand(shell: string | undefined, cli: CAC): Promise<number> {
  if (!isShell(shell)) {
    const typed = shell === undefined ? 'missing <shell>' : `unknown shell "${shell}"`;
    throw new UserError(`completion: ${typed}; expected one of: ${SHELLS.join(', ')} (e.g. autopilot completion bash >> ~/.bashrc)`);
  }
  process.stdout.write(completionScript(shell, cliSpec(cli), programName(invokedPath())));
  return 0;
}

/** One candidate a line; never an error on the terminal (a TAB must not print a stack). */
export async function completeCommand(words: readonly string[], cli: CAC): Promise<number> {
  try {
    const found = candidates(cliSpec(cli), words.length ? words : [''], diskSources);
    if (found.length) process.stdout.write(`${found.join('\n')}\n`);
  } catch {
    // Nothing to offer: the shell falls back to file names.
  }
  return 0;
}
