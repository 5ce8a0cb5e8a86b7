/**
 * The name the completion scripts complete and call back: the command the user typed. Installed
 * by npm, that is the bin link (`autopilot`); run as `node dist/cli/index.js` or by Bun (which
 * resolves the link to index.js), the file's name would not be a command, so it is `autopilot`.
 */
import { basename } from 'node:path';

const COMMAND = /^[A-Za-z0-9][\w.+-]*$/;

export function programName(invokedPath: string): string {
  const name = basename(invokedPath);
  return COMMAND.test(name) && !/\.[cm]?[jt]s$/.test(name) ? name : 'autopilot';
}

/** The name as part of a shell function's name (`autopilot-dev` -> `autopilot_dev`). */
export const functionName = (program: string): string => program.replace(/[^A-Za-z0-9_]/g, '_');
