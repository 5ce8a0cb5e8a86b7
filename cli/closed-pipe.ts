/**
 * A reader that goes away (`autopilot new ... | head -1`) must not end the program with a stack
 * trace. Node, Bun and Deno ignore SIGPIPE, so a write to a closed pipe becomes an EPIPE 'error'
 * event on the stream, fatal when nobody listens. We listen: from then on output is dropped, the
 * command finishes what it was doing (`new` and `add` still write their files atomically rather
 * than die half-way) and exits with the status it would have had, 0 on success, as ripgrep does.
 * Not 141 as git: whether a write meets the closed pipe at all depends on timing (short output
 * fits in the pipe's buffer), so 141 would come and go; 0 is the same every time. A long-running command (`run`,
 * `render` watching Consul) has a SIGTERM handler: it is stopped as by SIGTERM, so a supervisor
 * stops its jobs instead of leaving them behind.
 */
let closed = false;

/** True once stdout or stderr lost its reader. */
export function pipeClosed(): boolean {
  return closed;
}

type Writable = NodeJS.WriteStream & { write: (...args: unknown[]) => boolean };

function mute(stream: Writable): void {
  stream.write = (...args: unknown[]) => {
    const done = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
}

function onError(this: Writable, err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
  if (closed) return;
  closed = true;
  mute(process.stdout as Writable);
  mute(process.stderr as Writable);
  if (process.listenerCount('SIGTERM') > 0) process.kill(process.pid, 'SIGTERM');
}

/** Installs the handler on stdout and stderr; call once, before anything is printed. */
export function quietOnClosedPipe(): void {
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}
