/**
 * Runs one process the way ContainerPilot does: argv without a shell, its own process group
 * (`detached`), stdin from /dev/null, stdout/stderr either logged line by line or inherited
 * (raw), SIGKILL to the whole group at the timeout. The pid is tracked (children.ts) from spawn
 * until the runtime has seen it exit, so the zombie reaper leaves it alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { LineSplitter } from '../log/lines.js';
import { trackChild, untrackChild } from './children.js';
import { noteExitedGroup } from './leftovers.js';
import { childEnv, clearJobPid, setJobPid } from './pid-env.js';
import { signalExitCode, signalGroup, type SignalName } from './signal-group.js';
import { goDuration } from './duration.js';
import { after, sleep, type Timer } from '../timers/timers.js';

export interface ExitInfo {
  /**
   * Exit code, 128+N when killed by signal N; when it could not be started, 127 if the
   * executable was not found and 126 if it is not executable (as a shell answers).
   */
  status: number;
  code: number | null;
  signal: SignalName | null;
  /** Set when the process could not be started: `executable not found: /usr/local/bin/x`. */
  startError?: string;
  timedOut: boolean;
  durationMs: number;
}

export interface SpawnOptions {
  /** Name used in messages (`app`, `check.app`). */
  name: string;
  argv: readonly string[];
  /** SIGKILL the group after this many ms; 0 = never. */
  timeoutMs?: number;
  /** Inherit our stdout/stderr instead of logging lines. */
  raw?: boolean;
  /** Called for each output line when not raw. */
  onLine?: (line: string, pid: number) => void;
  /** Called when the timeout fires, before the kill (for the warning log line). */
  onTimeout?: (message: string) => void;
  /** Sets CONTAINERPILOT_<JOB>_PID for other children while this one runs. */
  jobPidName?: string;
  env?: Record<string, string>;
}

export interface ChildHandle {
  readonly pid: number | undefined;
  readonly exited: Promise<ExitInfo>;
  isRunning(): boolean;
  /** Signals the process group; false if it is gone. */
  signal(sig: SignalName): boolean;
}

/**
 * Why `file` did not start, said as a shell says it, with a shell's exit status: 127 when the
 * executable is not found, 126 when it is found but cannot be run.
 */
export function startFailure(err: NodeJS.ErrnoException, file: string): { status: number; startError: string } {
  switch (err.code) {
    case 'ENOENT':
      return { status: 127, startError: `executable not found: ${file}` };
    case 'EACCES':
    case 'EPERM':
      return { status: 126, startError: `not executable: ${file} (permission denied)` };
    case 'EISDIR':
      return { status: 126, startError: `not executable: ${file} (a directory)` };
    case 'ENOEXEC':
      return { status: 126, startError: `not executable: ${file} (not a program the system can run)` };
    default:
      return { status: 127, startError: `${err.code ?? ''} ${err.message}`.trim() };
  }
}

/** How long to wait after exit for the pipes to drain (a grandchild may hold them open). */
const DRAIN_MS = 200;

export function spawnProcess(opts: SpawnOptions): ChildHandle {
  const started = Date.now();
  const [file, ...args] = opts.argv;
  let running = true;
  let timedOut = false;
  let child: ChildProcess;
  let resolveExit!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((r) => (resolveExit = r));

  const finish = (info: Omit<ExitInfo, 'timedOut' | 'durationMs'>): void => {
    running = false;
    resolveExit({ ...info, timedOut, durationMs: Date.now() - started });
  };

  try {
    child = spawn(file ?? '', args, {
      detached: true,
      stdio: ['ignore', opts.raw ? 'inherit' : 'pipe', opts.raw ? 'inherit' : 'pipe'],
      env: opts.env ?? childEnv(),
    });
  } catch (err) {
    // Synchronous spawn failures (invalid argument types) are reported like a failed start.
    queueMicrotask(() => finish({ status: 127, code: null, signal: null, startError: (err as Error).message }));
    return { pid: undefined, exited, isRunning: () => running, signal: () => false };
  }

  const pid = child.pid;
  if (pid !== undefined) {
    trackChild(pid);
    if (opts.jobPidName) setJobPid(opts.jobPidName, pid);
  }

  const streamsDone: Promise<void>[] = [];
  if (!opts.raw) {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const splitter = new LineSplitter((line) => opts.onLine?.(line, pid ?? 0));
      stream.on('data', (chunk: Buffer) => splitter.push(chunk));
      streamsDone.push(
        new Promise<void>((resolve) => {
          stream.once('end', () => {
            splitter.end();
            resolve();
          });
          stream.once('error', () => resolve());
        }),
      );
    }
  }

  let timer: Timer | undefined;
  if (opts.timeoutMs && opts.timeoutMs > 0 && pid !== undefined) {
    timer = after(opts.timeoutMs, () => {
      if (!running) return;
      timedOut = true;
      opts.onTimeout?.(`${opts.name} timeout after ${goDuration(opts.timeoutMs!)}: '[${args.join(' ')}]'`);
      signalGroup(pid, 'SIGKILL');
    });
  }

  let settled = false;
  child.once('error', (err: NodeJS.ErrnoException) => {
    // 'error' without a pid means the process never started; with a pid, 'exit' still follows.
    if (pid !== undefined || settled) return;
    settled = true;
    timer?.clear();
    finish({ code: null, signal: null, ...startFailure(err, file ?? '') });
  });
  child.once('exit', (code, signal) => {
    if (settled) return;
    settled = true;
    timer?.clear();
    if (pid !== undefined) {
      untrackChild(pid);
      if (opts.jobPidName) clearJobPid(opts.jobPidName, pid);
      noteExitedGroup(pid); // members left behind are killed when the supervisor ends
    }
    const status = code ?? (signal ? signalExitCode(signal) : 1);
    // Let buffered output be logged before the exit is reported, so log order follows causality.
    const drained = Promise.all(streamsDone);
    const cap = sleep(DRAIN_MS, { unref: true });
    void Promise.race([drained, cap]).then(() => {
      finish({ status, code, signal: (signal as SignalName | null) ?? null });
      // A grandchild still holding the pipe must not keep us alive.
      child.stdout?.destroy();
      child.stderr?.destroy();
    });
  });

  return {
    pid,
    exited,
    isRunning: () => running,
    signal: (sig) => (pid !== undefined && running ? signalGroup(pid, sig) : false),
  };
}
