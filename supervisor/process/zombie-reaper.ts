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
 *  3. it has stayed an untracked zombie (same pid, same start time) since a sighting that was
 *     followed by at least `graceMs` (default 2 s) AND two more turns of the event loop. The
 *     runtime waits for its own children from its event loop (Node: the SIGCHLD pipe in the poll
 *     phase; Bun: a pidfd; Deno: its SIGCHLD driver), normally within milliseconds, so a zombie
 *     still there is one the runtime will never wait for. Two back-to-back scans are not enough:
 *     our SIGCHLD listener can run just before the runtime's own handler of the same signal, and
 *     Deno was seen taking over 100 ms. Counting turns as well as time keeps the margin when the
 *     whole process is descheduled (CPU throttling): a stopped loop turns no timers. This covers children spawned outside the registry (another
 *     module's child_process call, the runtime's internals).
 * A scan and its waitpids run in one synchronous stretch, so no spawn, track or exit callback
 * can interleave.
 */
import { after, every, type Timer } from '../timers/timers.js';
import { isTrackedChild } from './children.js';
import { describeWaitStatus, loadLibc } from './ffi.js';
import type { Libc } from './libc.js';
import { nodeProcReader, zombieChildren, type ProcReader } from './reaper-proc.js';

export interface ZombieReaperOptions {
  /** Back-stop scan period (SIGCHLD triggers scans too). Default 1000 ms. */
  intervalMs?: number;
  /**
   * Minimum time a zombie must stay untracked before we reap it (rule 3). Default 2000 ms: Deno
   * was seen taking over 100 ms to wait for its own children under load.
   */
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
  /** Scans now; returns how many zombies this scan reaped (only ones rule 3 allows). */
  reapNow(): number;
  /** The FFI in use: 'bun:ffi', 'deno' or 'koffi'. */
  readonly backend: Libc['backend'];
}

const SIGCHLD_COALESCE_MS = 50;

interface Sighting {
  at: number;
  turn: number;
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

  const reaper = new ProcZombieReaper(libc, Math.max(0, opts.graceMs ?? 2000), log);
  reaper.start(Math.max(10, opts.intervalMs ?? 1000));
  return reaper;
}

/** The rule above, applied by scans of /proc: on SIGCHLD, at every interval, and as candidates ripen. */
class ProcZombieReaper implements ZombieReaper {
  readonly backend: Libc['backend'];
  private readonly me = process.pid;
  private readonly reader: ProcReader;
  /** Untracked zombies seen but not yet reaped, by "pid:startTime". */
  private readonly candidates = new Map<string, Sighting>();
  /** Event-loop turns counted by the ripening chain. */
  private turns = 0;
  private total = 0;
  private stopped = false;
  private ripening: Timer | undefined;
  private sigchldScan: Timer | undefined;
  private timer: Timer | undefined;
  private listening = false;

  constructor(
    private readonly libc: Libc,
    private readonly graceMs: number,
    private readonly log: (msg: string) => void,
  ) {
    this.backend = libc.backend;
    this.reader = libc.procReader ?? nodeProcReader;
  }

  readonly reaped = (): number => this.total;
  readonly reapNow = (): number => this.scan();

  start(intervalMs: number): void {
    // All three runtimes let us listen to SIGCHLD beside their own child handling
    // (zombie-reaper.test.ts checks that every spawned child's exit code is still reported).
    try {
      process.on('SIGCHLD', this.onSigchld);
      this.listening = true;
    } catch (err) {
      this.log(`zombie reaping: no SIGCHLD listener (${err instanceof Error ? err.message : String(err)}), polling only`);
    }
    this.timer = every(intervalMs, this.reapNow).unref();
    this.scan();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.clear();
    this.ripening?.clear();
    this.sigchldScan?.clear();
    if (this.listening) process.off('SIGCHLD', this.onSigchld);
  }

  private scan(): number {
    if (this.stopped) return 0;
    const now = Date.now();
    const seen = new Set<string>();
    let count = 0;
    for (const z of zombieChildren(this.me, this.reader)) {
      if (isTrackedChild(z.pid)) continue;
      const key = `${z.pid}:${z.startTime}`;
      seen.add(key);
      const first = this.candidates.get(key);
      if (first === undefined) {
        this.candidates.set(key, { at: now, turn: this.turns });
        continue;
      }
      if (this.turns - first.turn < 2 || now - first.at < this.graceMs) continue;
      const res = this.libc.waitpidNoHang(z.pid);
      if (res.pid === z.pid) {
        count++;
        this.log(`reaped orphaned process ${z.pid} (${z.comm}): ${describeWaitStatus(res.status)}`);
      }
      // 0: not reapable yet (a thread group still exiting), keep it; -1: gone, forget it.
      if (res.pid !== 0) seen.delete(key);
    }
    for (const key of this.candidates.keys()) if (!seen.has(key)) this.candidates.delete(key);
    this.total += count;
    this.ripen(now);
    return count;
  }

  // While candidates wait: after the grace, let the loop turn twice more (two 1 ms timers: each
  // needs the loop to go round, through its I/O poll, where the runtime handles child exits),
  // then scan. The scan reaps what is ripe and, if young candidates remain, starts a new chain.
  private ripen(now: number): void {
    if (this.ripening || this.stopped || this.candidates.size === 0) return;
    const oldest = Math.min(...[...this.candidates.values()].map((c) => c.at));
    const turn = (then: () => void) => () => {
      this.ripening = after(1, () => {
        this.turns++;
        then();
      }).unref();
    };
    this.ripening = after(
      Math.max(1, oldest + this.graceMs - now),
      turn(
        turn(() => {
          this.ripening = undefined;
          this.scan();
        }),
      ),
    ).unref();
  }

  // A burst of exits (a job's whole process group) would otherwise cost one /proc walk per
  // signal; one walk shortly after the first signal sees them all.
  private readonly onSigchld = (): void => {
    if (this.sigchldScan || this.stopped) return;
    this.sigchldScan = after(SIGCHLD_COALESCE_MS, () => {
      this.sigchldScan = undefined;
      this.scan();
    }).unref();
  };
}
