/**
 * Atomic, change-only writes: the new content goes to a temporary file beside the target (same
 * file system), gets the existing file's mode (and owner, when permitted), is flushed, then
 * renamed over the target. Readers see the old file or the new one, never a partial one; an
 * identical content leaves the file (inode, mtime) untouched.
 */
import { chmodSync, chownSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// The temporary name only has to be unique beside the target ('wx' refuses an existing one):
// pid, a counter and a random part, without loading node:crypto into a short-lived process.
let seq = 0;
const tempSuffix = () => `${process.pid.toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Writes `content` to `path` unless it already holds exactly that; resolves whether it wrote. */
export function writeIfChanged(path: string, content: string): boolean {
  let existing: Stats | undefined;
  try {
    existing = statSync(path);
  } catch {
    existing = undefined;
  }
  const bytes = Buffer.from(content, 'utf8');
  if (existing?.isFile() && existing.size === bytes.length && readFileSync(path).equals(bytes)) return false;
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const mode = existing ? existing.mode & 0o7777 : 0o644;
  const tmp = join(dir, `.${basename(path)}.${tempSuffix()}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode); // the umask may have narrowed it
    if (existing) {
      try {
        chownSync(tmp, existing.uid, existing.gid);
      } catch {
        // Not permitted (not root): the file keeps our owner, as any rewrite by this user would.
      }
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw err;
  }
  return true;
}
