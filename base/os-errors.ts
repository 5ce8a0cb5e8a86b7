/**
 * Errors from the operating system in words, with the path, one wording everywhere: a missing
 * file is `config not found: ./x.json5`, any other failure `cannot read config ./x.json5:
 * permission denied`. Node gives only codes (`ENOENT`); users should not have to know them.
 */

const WORDS: Record<string, string> = {
  ENOENT: 'not found',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
  EEXIST: 'already exists',
};

/** `permission denied` for an EACCES; the message of anything that is not an OS error. */
export function osErrorWords(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && WORDS[code] !== undefined) return WORDS[code]!;
  return code ?? (err instanceof Error ? err.message : String(err));
}

/** `config not found: x.json5`, or `cannot read config x.json5: permission denied`. */
export function readFailure(what: string, path: string, err: unknown): string {
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return `${what} not found: ${path}`;
  return `cannot read ${what} ${path}: ${osErrorWords(err)}`;
}
