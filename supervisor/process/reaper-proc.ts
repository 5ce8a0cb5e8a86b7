/** Reading zombie children out of /proc: the only way to find them without waitpid(-1). */
import { readdirSync, readFileSync } from 'node:fs';

/** How /proc is read: node:fs, or libc through FFI where the runtime's permissions forbid /proc. */
export interface ProcReader {
  /** Entry names of a directory; [] if unreadable. */
  list(dir: string): string[];
  /** A file's text, or null if it cannot be read (e.g. the process is gone). */
  read(path: string): string | null;
}

export const nodeProcReader: ProcReader = {
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  read(path) {
    try {
      return readFileSync(path, 'latin1');
    } catch {
      return null;
    }
  },
};

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Process group id. */
  pgrp: number;
  /** Clock ticks after boot: with the pid, identifies one process across scans (pids recycle). */
  startTime: string;
}

/**
 * Parses one `/proc/<pid>/stat` line. `comm` may itself hold spaces and parentheses, so the
 * fields after it are found from the LAST `)`. Returns null for anything malformed.
 */
export function parseProcStat(line: string): ProcStat | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const pid = Number(line.slice(0, open).trim());
  // Fields 3.. of proc(5): state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
  // cmajflt utime stime cutime cstime priority nice num_threads itrealvalue starttime ...
  const rest = line.slice(close + 2).split(' ');
  const state = rest[0];
  const ppid = Number(rest[1]);
  const pgrp = Number(rest[2]);
  const startTime = rest[19];
  if (!Number.isInteger(pid) || !state || !Number.isInteger(ppid) || startTime === undefined) return null;
  return { pid, comm: line.slice(open + 1, close), state, ppid, pgrp, startTime };
}

/** Every process visible in /proc (only thread-group leaders are listed there). */
export function listProcesses(reader: ProcReader = nodeProcReader, procDir = '/proc'): ProcStat[] {
  const found: ProcStat[] = [];
  for (const name of reader.list(procDir)) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue; // only the numeric entries are processes
    const line = reader.read(`${procDir}/${name}/stat`); // null: it exited since the listing
    const stat = line === null ? null : parseProcStat(line);
    if (stat) found.push(stat);
  }
  return found;
}

/**
 * Zombies whose parent is `parentPid`. Synchronous on purpose: the reaper's decision and its
 * waitpid happen in one uninterrupted stretch of JavaScript, so no spawn or exit event of the
 * runtime can run in between.
 */
export function zombieChildren(parentPid: number, reader: ProcReader = nodeProcReader, procDir = '/proc'): ProcStat[] {
  return listProcesses(reader, procDir).filter((p) => p.state === 'Z' && p.ppid === parentPid);
}
