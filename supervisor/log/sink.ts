/**
 * Where log lines go: stdout, stderr, or a file opened for append. A file sink can be reopened
 * (SIGUSR1) so logrotate can move the file away and the next line lands in a fresh one.
 * Writes are synchronous so lines keep their order with the output of children that share our
 * stdout, and nothing is lost when the process exits right after logging.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export interface LogSink {
  write(text: string): void;
  reopen(): void;
  close(): void;
  /** The file path, for file sinks. */
  readonly path?: string;
}

export function openSink(output: string): LogSink {
  if (output === 'stdout') return fdSink(1);
  if (output === 'stderr') return fdSink(2);
  return new FileSink(output);
}

function fdSink(fd: 1 | 2): LogSink {
  return {
    write(text) {
      writeAll(fd, text);
    },
    reopen() {},
    close() {},
  };
}

class FileSink implements LogSink {
  private fd: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o644);
  }
  write(text: string): void {
    if (this.fd >= 0) writeAll(this.fd, text);
  }
  reopen(): void {
    const next = openSync(this.path, 'a', 0o644);
    const prev = this.fd;
    this.fd = next;
    if (prev >= 0) closeSync(prev);
  }
  close(): void {
    if (this.fd < 0) return;
    try {
      fsyncSync(this.fd);
    } catch {
      // not every file supports fsync (pipes, /dev/null); closing is what matters
    }
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** writeSync may write partially (pipes) or hit EAGAIN on a non-blocking fd: retry, bounded. */
export function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text, 'utf8');
  for (let attempts = 0; buf.length > 0 && attempts < 1000; attempts++) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE' || code === 'EBADF') return; // reader went away: drop, never crash PID 1
      throw err;
    }
  }
}
