/**
 * Zombie reaping for `autopilot run` as PID 1 (see REAPER.md).
 *
 * Orphans anywhere in the container reparent to PID 1 and stay zombies until PID 1 waits for
 * them. Node, Bun and Deno only ever wait for the children they spawned themselves, and
 * `waitpid(-1)` would steal those (Node silently loses the exit event, Bun and Deno crash). So we
 * find zombie children in /proc and wait for each one by pid, never for "any child".
 *
 * Which zombies are ours to reap (the rule):
 *  1. its parent is this process and its state is Z;
 *  2. it is not in the spawner's registry (`isTrackedChild`): the spawner tracks a pid
 *     synchronously right after spawn and untracks it only after the runtime reported its exit;
 *  3. it was already an untracked zombie, with the same pid and start time, in a scan at least
 *     `graceMs` earlier. The runtime reaps its own children within one turn of its event loop,
 *     and the event loop always turns between two of our scans that far apart, so a zombie still
 *     there is one the runtime will never wait for. This covers children the runtime spawned
 *     outside the registry (another module's child_process call, the runtime's internals).
 * The scan and the waitpid run in one synchronous stretch, so no spawn, track or exit callback
 * can interleave.
 */
import process from 'node:process';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { isTrackedChild } from './children.js';
import { describeWaitStatus, loadLibc, type Libc } from './ffi.js';
import { nodeProcReader, zombieChildren } from './reaper-proc.js';

export interface ZombieReaperOptions {
  /** Back-stop scan period (SIGCHLD triggers scans too). Default 1000 ms. */
  intervalMs?: number;
  /** How long a zombie must stay untracked before we reap it (rule 3). Default 500 ms. */
  graceMs?: number;
  log?: (msg: string) => void;
  /**
   * Reap even when not PID 1 (tests, or under another init). We then make ourselves a child
   * subreaper so orphans reparent to us. Default: env AUTOPILOT_REAP_ZOMBIES=1 forces, =0 disables.
   */
  force?: boolean;
}

export interface ZombieReaper {
  stop(): void;
  /** Zombies reaped so far. */
  reaped: () => number;
  /** Scans now; returns how many zombies this scan reaped. */
  reapNow(): number;
  /** The FFI in use: 'bun:ffi', 'deno' or 'koffi'. */
  readonly backend: Libc['backend'];
}

export async function startZombieReaper(opts: ZombieReaperOptions = {}): Promise<ZombieReaper | null> {
  const log = opts.log ?? (() => {});
  const env = process.env.AUTOPILOT_REAP_ZOMBIES;
  if (env === '0' || env === 'false') return null;
  const force = opts.force ?? (env === '1' || env === 'true');
  if (process.platform !== 'linux' || (process.pid !== 1 && !force)) return null;

  const libc = await loadLibc();
  if (typeof libc === 'string') {
    log(`zombie reaping disabled: ${libc}`);
    return null;
  }
  if (process.pid !== 1 && !libc.setChildSubreaper()) log('zombie reaping: could not become a child subreaper');

  const intervalMs = Math.max(10, opts.intervalMs ?? 1000);
  const graceMs = Math.max(0, opts.graceMs ?? 500);
  const me = process.pid;
  const reader = libc.procReader ?? nodeProcReader;
  /** Untracked zombies seen but not yet reaped: "pid:startTime" -> first seen (ms). */
  const candidates = new Map<string, number>();
  let total = 0;
  let stopped = false;
  let followUp: ReturnType<typeof setTimeout> | undefined;

  const scan = (): number => {
    if (stopped) return 0;
    const now = Date.now();
    const seen = new Set<string>();
    let count = 0;
    for (const z of zombieChildren(me, reader)) {
      if (isTrackedChild(z.pid)) continue;
      const key = `${z.pid}:${z.startTime}`;
      seen.add(key);
      const first = candidates.get(key);
      if (first === undefined) {
        candidates.set(key, now);
        continue;
      }
      if (now - first < graceMs) continue;
      const res = libc.waitpidNoHang(z.pid);
      if (res.pid === z.pid) {
        count++;
        log(`reaped orphaned process ${z.pid} (${z.comm}): ${describeWaitStatus(res.status)}`);
      }
      // 0: not reapable yet (a thread group still exiting), keep it; -1: gone, forget it.
      if (res.pid !== 0) seen.delete(key);
    }
    for (const key of candidates.keys()) if (!seen.has(key)) candidates.delete(key);
    total += count;
    scheduleFollowUp(now);
    return count;
  };

  // Reap young candidates as soon as their grace ends instead of waiting for the next tick.
  const scheduleFollowUp = (now: number): void => {
    if (followUp || stopped || candidates.size === 0) return;
    const due = Math.min(...candidates.values()) + graceMs;
    followUp = setTimeout(() => {
      followUp = undefined;
      scan();
    }, Math.max(1, due - now + 1));
    followUp.unref();
  };

  const onSigchld = (): void => {
    scan();
  };
  // All three runtimes let us listen to SIGCHLD beside their own child handling (checked by
  // reaper.test.ts, which also verifies every spawned child's exit code is still reported).
  let listening = false;
  try {
    process.on('SIGCHLD', onSigchld);
    listening = true;
  } catch (err) {
    log(`zombie reaping: no SIGCHLD listener (${err instanceof Error ? err.message : String(err)}), polling only`);
  }
  const timer = setInterval(scan, intervalMs);
  timer.unref();
  scan();

  return {
    backend: libc.backend,
    reaped: () => total,
    reapNow: scan,
    stop() {
      stopped = true;
      clearInterval(timer);
      if (followUp) clearTimeout(followUp);
      if (listening) process.off('SIGCHLD', onSigchld);
    },
  };
}
