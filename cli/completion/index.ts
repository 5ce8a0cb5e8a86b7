/** The completion script of each shell `autopilot completion <shell>` knows. */
import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import type { CliSpec } from './spec.js';
import { zshScript } from './zsh.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

export type Shell = keyof typeof SCRIPTS;
export const SHELLS = Object.keys(SCRIPTS) as Shell[];

export const isShell = (s: string | undefined): s is Shell => s !== undefined && Object.hasOwn(SCRIPTS, s);

export function completionScript(shell: Shell, spec: CliSpec, program: string): string {
  return SCRIPTS[shell](spec, program);
}
