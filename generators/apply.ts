/**
 * The one place that writes: checks conflicts, prints the plan on --dry-run, and writes
 * atomically. Every file is first written to a temp file beside its target; only when all are
 * staged are they renamed into place, so an error or Ctrl-C before that leaves nothing behind.
 */
import { constants } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readFile, realpath, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { diffLines } from './diff.js';
import { GeneratorError, InterruptedError, WriteError } from './errors.js';
import type { FileOp } from './types.js';

export interface ApplyOptions {
  dir: string;
  dryRun?: boolean;
  force?: boolean;
  /** Receives the plan lines (dry run) and nothing else. */
  print?: (line: string) => void;
  /** Called once every file is staged, before any rename (tests interrupt here). */
  onStaged?: () => void | Promise<void>;
}

const exists = (p: string) => lstat(p).then(() => true, () => false);
function lineCount(s: string): string {
  const n = s === '' ? 0 : s.split('\n').length - (s.endsWith('\n') ? 1 : 0);
  return n === 1 ? '1 line' : `${n} lines`;
}

/** One line per file, and the changed lines of each update. */
export function describePlan(ops: FileOp[], overwrite: Set<string> = new Set()): string[] {
  const lines: string[] = [];
  for (const op of ops) {
    if (op.copyFrom !== undefined) {
      lines.push(`${overwrite.has(op.path) ? 'overwrite' : 'create'} ${op.path} (a copy of ${op.copyFrom})`);
      continue;
    }
    if (op.action === 'create') {
      lines.push(`${overwrite.has(op.path) ? 'overwrite' : 'create'} ${op.path} (${lineCount(op.content)})`);
      continue;
    }
    const changes = diffLines(op.previous ?? '', op.content);
    const added = changes.filter((c) => c.kind === '+').length;
    lines.push(`update ${op.path} (+${added} -${changes.length - added})`);
    for (const c of changes) lines.push(`    ${c.kind} ${c.line}`);
  }
  return lines;
}

/** Directories to create for `path`, outermost first. */
/** Every missing directory above `path`, outermost first (the target's parents may be missing too). */
async function missingDirs(path: string): Promise<string[]> {
  const out: string[] = [];
  for (let d = dirname(path); d !== dirname(d) && !(await exists(d)); d = dirname(d)) out.unshift(d);
  return out;
}

/** Where `path` really is: its deepest existing ancestor with links resolved, plus the rest. */
async function realPlace(path: string): Promise<string> {
  let d = path;
  while (d !== dirname(d) && !(await exists(d))) d = dirname(d);
  return join(await realpath(d), relative(d, path));
}

/** Refuses a file whose folder is a link out of the project: writing there would touch the user's other files. */
async function checkInside(root: string, op: FileOp): Promise<void> {
  const [home, place] = await Promise.all([realPlace(root), realPlace(dirname(join(root, op.path)))]);
  if (place !== home && !place.startsWith(home + sep)) throw new GeneratorError(`${op.path}: ${dirname(op.path)} leads out of the project (to ${place}); nothing was written`);
}

/** An OS error while writing `path` becomes a WriteError naming it (not the temp file's name). */
const naming = (path: string) => (err: unknown): never => {
  throw WriteError.from(err, path) ?? err;
};

export async function applyPlan(ops: FileOp[], o: ApplyOptions): Promise<{ written: string[] }> {
  // The checks are independent: run them together (one file-system round trip, not one per file).
  const checks = await Promise.allSettled(
    ops.map(async (op) => {
      const target = join(o.dir, op.path);
      await checkInside(o.dir, op);
      if (op.action === 'update') {
        const now = await readFile(target, 'utf8').catch(() => undefined);
        if (now !== op.previous) throw new GeneratorError(`${op.path} changed while planning; run the command again`);
        return false;
      }
      return exists(target);
    }),
  );
  // The first problem in plan order, whichever check finished first.
  const problem = checks.find((r) => r.status === 'rejected');
  if (problem) throw problem.reason;
  const overwrite = new Set(ops.filter((_, i) => (checks[i] as PromiseFulfilledResult<boolean>).value).map((op) => op.path));
  if (overwrite.size > 0 && !o.force) {
    const names = [...overwrite];
    throw new GeneratorError(`would overwrite ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} (use --force to overwrite)`);
  }
  if (o.dryRun) {
    for (const line of describePlan(ops, overwrite)) o.print?.(line);
    return { written: [] };
  }

  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  // By op index; a hole is a file not staged (yet).
  const staged: Array<{ tmp: string; target: string } | undefined> = [];
  const createdDirs: string[] = [];
  // A hard link costs no space (a vendored binary is about 100 MB per service); across file
  // systems it is a copy. The link shares the source's mode, which is already executable.
  const stageCopy = async (from: string, tmp: string, target: string, i: number): Promise<void> => {
    staged[i] = { tmp, target };
    try {
      await link(from, tmp);
    } catch {
      await copyFile(from, tmp, constants.COPYFILE_EXCL);
    }
  };
  const stage = async (op: FileOp, i: number): Promise<void> => {
    if (interrupted) throw new InterruptedError('interrupted');
    const target = join(o.dir, op.path);
    const tmp = join(dirname(target), `.${basename(target)}.${process.pid}-${i}.autopilot-tmp`);
    if (op.copyFrom !== undefined) return stageCopy(op.copyFrom, tmp, target, i);
    const mode = op.action === 'update' ? (await stat(target)).mode & 0o7777 : (op.mode ?? 0o644);
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    staged[i] = { tmp, target };
    try {
      await fh.writeFile(op.content, 'utf8');
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
  };
  try {
    // Folders one after another (they nest), outermost first; then every file is staged at once,
    // so their writes and fsyncs overlap instead of queueing. allSettled: nothing is still being
    // written when a failure is cleaned up.
    for (const op of ops) {
      if (interrupted) throw new InterruptedError('interrupted');
      for (const d of await missingDirs(join(o.dir, op.path))) {
        await mkdir(d).catch(naming(d));
        createdDirs.push(d);
      }
    }
    const failed = (await Promise.allSettled(ops.map((op, i) => stage(op, i).catch(naming(join(o.dir, op.path)))))).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    await o.onStaged?.();
    // Give a pending signal its turn before the point of no return.
    await new Promise((r) => setImmediate(r));
    if (interrupted) throw new InterruptedError('interrupted');
  } catch (err) {
    for (const s of staged) if (s) await rm(s.tmp, { force: true });
    for (const d of createdDirs.reverse()) await rmdir(d).catch(() => undefined);
    for (const s of signals) process.off(s, onSignal);
    throw err;
  }
  // Renames are quick and each is atomic; once started they all run.
  const renamed = await Promise.allSettled(staged.map((s) => s && rename(s.tmp, s.target).catch(naming(s.target))));
  // A signal that arrived during the renames came too late to cancel: the work is complete.
  for (const s of signals) process.off(s, onSignal);
  const renameFailed = renamed.find((r) => r.status === 'rejected');
  if (renameFailed) throw renameFailed.reason;
  return { written: ops.map((op) => op.path) };
}
