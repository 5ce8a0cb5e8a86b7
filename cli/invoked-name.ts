/**
 * The path the program was started as, and whether that names it `containerpilot`.
 * - Node and Deno: argv[1] is the script as it was named, a symlink's own path included.
 * - A `bun build --compile` binary: argv[1] is its virtual entry (`/$bunfs/root/<build name>`)
 *   and execPath has symlinks resolved; only argv0 keeps what exec() was given.
 * - Bun running the JavaScript from dist/ resolves symlinks in argv[1]: there the name is always
 *   the file's own (use the binary, Node or Deno for the `containerpilot` name).
 */
import { basename } from 'node:path';

export function invokedPath(argv: readonly string[] = process.argv, argv0: string = process.argv0): string {
  const script = argv[1] ?? '';
  if (script.startsWith('/$bunfs/')) return argv0;
  return script || argv0;
}

export function invokedAsContainerPilot(path: string = invokedPath()): boolean {
  return basename(path) === 'containerpilot';
}
