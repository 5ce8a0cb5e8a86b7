/** start-child.ts for Node and Deno: node:child_process. */
import { createRequire } from 'node:module';
import type { ChildEvents, StartChildOptions, StartedChild } from './start-child-types.js';

/** Loaded at the first spawn: the binary (Bun.spawn) never needs node:child_process at all. */
let spawn: typeof import('node:child_process').spawn | undefined;

export function startChildNode(file: string, args: readonly string[], opts: StartChildOptions, events: ChildEvents): StartedChild {
  spawn ??= (createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process')).spawn;
  const child = spawn(file, args, { detached: true, stdio: ['ignore', opts.raw ? 'inherit' : 'pipe', opts.raw ? 'inherit' : 'pipe'], env: opts.env });
  const pid = child.pid;
  const pipes = opts.raw || pid === undefined ? [] : ([[1, child.stdout], [2, child.stderr]] as const).filter(([, s]) => s !== null);
  for (const [fd, stream] of pipes) {
    stream!.on('data', (chunk: Buffer) => events.onOutput(fd, chunk));
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      events.onOutputEnd(fd);
    };
    stream!.once('end', end);
    stream!.once('error', end);
  }
  // 'error' without a pid: the process never started. With a pid, 'exit' still follows.
  child.once('error', (err: NodeJS.ErrnoException) => {
    if (pid === undefined) events.onStartError(err);
  });
  child.once('exit', (code, signal) => events.onExit(code, signal));
  return {
    pid,
    outputs: pipes.length,
    closeOutputs() {
      for (const [, stream] of pipes) stream!.destroy();
    },
  };
}
