/**
 * What must not outlive `autopilot run`: processes it started that are still running after the
 * stop sequence (a hook's background child left in its group after the hook exited, a daemon
 * that called setsid). ContainerPilot is PID 1 and its exit takes the container down with it;
 * under another init (`docker run --init`, tini) or outside a container nothing would.
 *
 * Found three ways, each only ever naming processes we started:
 *  - the process group of every child we spawned whose leader exited while other members
 *    stayed (`noteExitedGroup`, one kill(-pgid, 0) per exit; empty groups are dropped);
 *  - our descendants in /proc (ppid chains from us), which includes setsid'd daemons whose
 *    parent still lives and, as PID 1 or a child subreaper, orphans reparented to us;
 *  - descendants seen when the stop began (`snapshotDescendants`) that still run, same start
 *    time (so a recycled pid is never hit): a setsid'd daemon whose parent the stop killed.
 * All get SIGKILL: they already outlived the stop sequence's SIGTERM and grace period.
 */
import { listProcesses, nodeProcReader, type ProcReader, type ProcStat } from './reaper-proc.js';
import { signalGroup } from './signal-group.js';

/** Process groups we created that had members left when their leader exited. */
const lingering = new Set<number>();
/** Pruned (empty groups dropped) whenever it grows past this. */
const PRUNE_AT = 64;

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Call when a child we spawned (a group leader) exited: remembers its group if not empty. */
export function noteExitedGroup(pgid: number): void {
  if (!groupExists(pgid)) return;
  lingering.add(pgid);
  if (lingering.size > PRUNE_AT) for (const g of lingering) if (!groupExists(g)) lingering.delete(g);
}

/** Groups remembered by noteExitedGroup that still have members (tests, diagnostics). */
export function lingeringGroups(): number[] {
  return [...lingering].filter(groupExists);
}

/** Our living (not zombie) descendants, from the ppid chains in /proc. */
export function descendants(root = process.pid, reader: ProcReader = nodeProcReader): ProcStat[] {
  return descendantsIn(listProcesses(reader), root);
}

function descendantsIn(all: ProcStat[], root: number): ProcStat[] {
  const byParent = new Map<number, ProcStat[]>();
  for (const p of all) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const found: ProcStat[] = [];
  const visited = new Set([root]);
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of byParent.get(pid) ?? []) {
      if (visited.has(child.pid)) continue;
      visited.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found.filter((p) => p.state !== 'Z');
}

export interface Snapshot {
  readonly seen: ReadonlyArray<Pick<ProcStat, 'pid' | 'startTime'>>;
}

/** Our descendants now, to be checked again by killLeftovers (their parents may die first). */
export function snapshotDescendants(reader: ProcReader = nodeProcReader): Snapshot {
  return { seen: descendants(process.pid, reader).map(({ pid, startTime }) => ({ pid, startTime })) };
}

/**
 * SIGKILLs everything of ours still running: lingering groups, descendants, and what the
 * snapshot saw that still runs as the same process. Returns the pids and groups signalled.
 */
export function killLeftovers(snapshot?: Snapshot, reader: ProcReader = nodeProcReader): { groups: number[]; pids: number[] } {
  const groups = lingeringGroups();
  for (const g of groups) signalGroup(g, 'SIGKILL');
  lingering.clear();
  const pids = new Set<number>();
  // Twice: a process forking while we kill its parent shows up in the second pass.
  for (let pass = 0; pass < 2; pass++) {
    const now = listProcesses(reader);
    const still = (s: Pick<ProcStat, 'pid' | 'startTime'>): boolean => now.some((p) => p.pid === s.pid && p.startTime === s.startTime && p.state !== 'Z');
    const targets = [...descendantsIn(now, process.pid), ...(snapshot?.seen.filter(still) ?? [])];
    for (const p of targets) {
      if (p.pid === process.pid) continue;
      try {
        process.kill(p.pid, 'SIGKILL');
        pids.add(p.pid);
      } catch {
        // gone already
      }
    }
  }
  return { groups, pids: [...pids] };
}
