/** The interface start-child.ts offers, shared by its Bun and Node implementations. */

export interface StartChildOptions {
  /** Inherit our stdout/stderr instead of piping them. */
  raw: boolean;
  env: Record<string, string | undefined>;
}

export interface ChildEvents {
  /** A chunk of piped output (not raw) from fd 1 or 2, in order per stream. */
  onOutput(fd: 1 | 2, chunk: Uint8Array): void;
  /** That piped stream reached its end (called once per stream; never when raw). */
  onOutputEnd(fd: 1 | 2): void;
  /** The child exited: its code, or the signal that ended it. */
  onExit(code: number | null, signal: string | null): void;
  /** It could not start (the error carries the errno `code`); called asynchronously, instead of onExit. */
  onStartError(err: NodeJS.ErrnoException): void;
}

export interface StartedChild {
  /** Undefined when it could not start (onStartError follows). */
  readonly pid: number | undefined;
  /** Piped streams this child has (0 when raw): onOutputEnd is called this many times. */
  readonly outputs: number;
  /** Stops reading the pipes: a grandchild still holding them must not keep us alive. */
  closeOutputs(): void;
}

/** Starts `file`. May throw for invalid arguments; a failed start is reported by onStartError. */
export type StartChild = (file: string, args: readonly string[], opts: StartChildOptions, events: ChildEvents) => StartedChild;
