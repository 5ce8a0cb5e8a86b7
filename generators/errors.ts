/** A mistake the user can fix (bad name, clash, unparsable file): the CLI prints it as one line, exit 2. */
export class GeneratorError extends Error {
  override name = 'GeneratorError';
}

/** The user interrupted (Ctrl-C) before anything was written. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

/** What each refusal of the file system means, and its sysexits code: 73 cannot create, 74 I/O error. */
const WRITE_FAILURES: Record<string, [string, number]> = {
  EACCES: ['permission denied', 73],
  EPERM: ['operation not permitted', 73],
  EROFS: ['read-only file system', 73],
  ENOTDIR: ['a parent is not a directory', 73],
  EISDIR: ['is a directory', 73],
  EEXIST: ['already exists', 73],
  ENAMETOOLONG: ['name too long', 73],
  ENOSPC: ['no space left on device', 74],
  EDQUOT: ['disk quota exceeded', 74],
  EIO: ['input/output error', 74],
  EFBIG: ['file too large', 74],
};

/** The file system refused a write: one line naming the path, and the exit code sysexits gives it. */
export class WriteError extends Error {
  override name = 'WriteError';
  constructor(
    readonly path: string,
    readonly code: string,
    readonly exitCode: number,
  ) {
    super(`cannot write ${path}: ${WRITE_FAILURES[code]?.[0] ?? code} (${code})`);
  }

  /** The error for an OS error while writing `path`, or undefined for anything else (a bug). */
  static from(err: unknown, path: string): WriteError | undefined {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code !== 'string' || !code.startsWith('E') || err instanceof GeneratorError) return undefined;
    return new WriteError(path, code, WRITE_FAILURES[code]?.[1] ?? 74);
  }
}
