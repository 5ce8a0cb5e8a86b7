import { color } from '../base/colors.js';
import { ExitError, UserError } from '../base/errors.js';

/** Prints an error the way its kind deserves and returns the exit code. */
export function reportError(err: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (err instanceof ExitError) return err.exitCode;
  if (err instanceof UserError) {
    write(`${color.red('error')}: ${err.message}\n`);
    return err.exitCode;
  }
  // cac throws CACError for unknown options and missing arguments: user mistakes too.
  if (err instanceof Error && err.name === 'CACError') {
    write(`${color.red('error')}: ${err.message} (see --help)\n`);
    return 2;
  }
  // Deno refuses an operation its permission flags do not grant: an invocation mistake.
  if (err instanceof Error && (err.name === 'NotCapable' || err.name === 'PermissionDenied') && 'Deno' in globalThis) {
    write(`${color.red('error')}: ${err.message.split('\n')[0]} (run with \`deno run -A\`; see docs/runtimes.md)\n`);
    return 2;
  }
  write(`${color.red('internal error')}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 70;
}
