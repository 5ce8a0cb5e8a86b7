/**
 * The CLI proper: argv to a command, and the error boundary. `index.ts` (the `autopilot` bin)
 * loads it, directly or from the Node bundle; the single-file binary imports it directly.
 * Started under the name `containerpilot`, it is ContainerPilot's command line instead
 * (containerpilot.ts), so an image can swap the binary and keep its CMD.
 */
import { quietOnClosedPipe } from './closed-pipe.js';
import { invokedAsContainerPilot, invokedPath } from './invoked-name.js';
import { main } from './main.js';

const argv = process.argv.slice(2);
const program = invokedPath();
const run = invokedAsContainerPilot(program) ? import('./containerpilot.js').then((m) => m.containerpilotMain(argv, program)) : main(argv);

// The error boundary: user mistakes print one line and exit with their code; bugs print a stack.
run.then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  async (err: unknown) => {
    quietOnClosedPipe();
    const { reportError } = await import('./report-error.js');
    process.exitCode = reportError(err);
  },
);
