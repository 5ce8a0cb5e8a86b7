/**
 * A reader that goes away (`autopilot new ... | head -1`) must not end the program with a stack
 * trace. Node, Bun and Deno ignore SIGPIPE, so a write to a closed pipe becomes an EPIPE 'error'
 * event on the stream, fatal when nobody listens. We listen: from then on output is dropped, the
 * command finishes what it was doing (`new` and `add` still write their files atomically rather
 * than die half-way) and exits with the status it would have had, 0 on success, as ripgrep does.
 * Not 141 as git: whether a write meets the closed pipe at all depends on timing (short output
 * fits in the pipe's buffer), so 141 would come and go; 0 is the same every time. A command that
 * would otherwise go on forever (`render` watching Consul) asks to be stopped (`whenPipeCloses`).
 * `run` writes its log lines to the file descriptor itself and drops them on EPIPE
 * (supervisor/log/sink.ts): a PID 1 keeps supervising when a log reader goes away. So the
 * supervisor never touches process.stdout or process.stderr on its way to the first spawn: the
 * first touch builds the runtime's stream objects, about 2 ms of a binary's start. Each command
 * installs this before it prints through them, and the error boundary before it reports.
 */
let closed = false;
let installed = false;
const stoppers = new Set<() => void>();

/** Runs `stop` when the reader goes away; returns the function that cancels that. */
export function whenPipeCloses(stop: () => void): () => void {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

type Writable = NodeJS.WriteStream & { write: (...args: unknown[]) => boolean };

function mute(stream: Writable): void {
  stream.write = (...args: unknown[]) => {
    const done = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
}

/** Only the stream that lost its reader goes quiet: with `| head`, errors still reach the terminal. */
function onError(stream: Writable) {
  return (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE') throw err;
    mute(stream);
    if (closed) return;
    closed = true;
    for (const stop of stoppers) stop();
  };
}

/** Installs the handler on stdout and stderr, before anything is printed; later calls do nothing. */
export function quietOnClosedPipe(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', onError(process.stdout as Writable));
  process.stderr.on('error', onError(process.stderr as Writable));
}
