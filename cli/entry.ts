/**
 * The CLI proper: argv to a command, and the error boundary. `index.ts` (the `autopilot` bin)
 * loads it, directly or from the Node bundle; the single-file binary imports it directly.
 */
import { main } from './main.js';

// The error boundary: user mistakes print one line and exit with their code; bugs print a stack.
main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  async (err: unknown) => {
    const { reportError } = await import('./report-error.js');
    process.exitCode = reportError(err);
  },
);
