/**
 * start-child.ts for Bun: `Bun.spawn`. Its pipes are web ReadableStreams, read here chunk by chunk
 * until their end or until closeOutputs() cancels them.
 */
import type { ChildEvents, StartChildOptions, StartedChild } from './start-child-types.js';

interface BunSubprocess {
  readonly pid: number;
  readonly stdout: ReadableStream<Uint8Array> | number | undefined;
  readonly stderr: ReadableStream<Uint8Array> | number | undefined;
}

interface BunSpawn {
  spawn(
    cmd: string[],
    opts: {
      stdin: 'ignore';
      stdout: 'pipe' | 'inherit';
      stderr: 'pipe' | 'inherit';
      env: Record<string, string | undefined>;
      detached: boolean;
      onExit(proc: unknown, exitCode: number | null, signalCode: string | number | null): void;
    },
  ): BunSubprocess;
}

export function startChildBun(file: string, args: readonly string[], opts: StartChildOptions, events: ChildEvents): StartedChild {
  const bun = (globalThis as unknown as { Bun: BunSpawn }).Bun;
  const mode = opts.raw ? 'inherit' : 'pipe';
  let proc: BunSubprocess;
  try {
    proc = bun.spawn([file, ...args], {
      stdin: 'ignore',
      stdout: mode,
      stderr: mode,
      env: opts.env,
      detached: true,
      onExit: (_p, code, signal) => events.onExit(code, typeof signal === 'number' ? null : signal),
    });
  } catch (err) {
    // Bun throws at once when the exec fails; Node reports it a tick later: report it the same way.
    if (typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    queueMicrotask(() => events.onStartError(err as NodeJS.ErrnoException));
    return { pid: undefined, outputs: 0, closeOutputs() {} };
  }
  const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  if (!opts.raw) {
    for (const [fd, stream] of [[1, proc.stdout], [2, proc.stderr]] as const) {
      if (!(stream instanceof ReadableStream)) continue;
      const reader = stream.getReader();
      readers.push(reader);
      void pump(fd, reader, events);
    }
  }
  return {
    pid: proc.pid,
    outputs: readers.length,
    closeOutputs() {
      for (const reader of readers) reader.cancel().catch(() => undefined);
    },
  };
}

async function pump(fd: 1 | 2, reader: ReadableStreamDefaultReader<Uint8Array>, events: ChildEvents): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      events.onOutput(fd, value);
    }
  } catch {
    // A cancelled or failed pipe ends like a closed one.
  }
  events.onOutputEnd(fd);
}
