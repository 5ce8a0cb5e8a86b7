/** Reading zombie children out of /proc: the only way to find them without waitpid(-1). */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
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
  const startTime = rest[19];
  if (!Number.isInteger(pid) || !state || !Number.isInteger(ppid) || startTime === undefined) return null;
  return { pid, comm: line.slice(open + 1, close), state, ppid, startTime };
}

/**
 * Zombies whose parent is `parentPid`. Synchronous on purpose: the reaper's decision and its
 * waitpid happen in one uninterrupted stretch of JavaScript, so no spawn or exit event of the
 * runtime can run in between.
 */
export function zombieChildren(parentPid: number, procDir = '/proc'): ProcStat[] {
  const found: ProcStat[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procDir);
  } catch {
    return found;
  }
  for (const name of entries) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue; // only numeric entries
    let line: string;
    try {
      line = readFileSync(`${procDir}/${name}/stat`, 'latin1');
    } catch {
      continue; // the process went away between readdir and read
    }
    const stat = parseProcStat(line);
    if (stat && stat.state === 'Z' && stat.ppid === parentPid) found.push(stat);
  }
  return found;
}
