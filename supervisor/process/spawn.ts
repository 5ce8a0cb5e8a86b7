/**
 * Runs one process the way ContainerPilot does: argv without a shell, its own process group
 * (`detached`), stdin from /dev/null, stdout/stderr either logged line by line or inherited
 * (raw), SIGKILL to the whole group at the timeout. The pid is tracked (children.ts) from spawn
 * until the runtime has seen it exit, so the zombie reaper leaves it alone.
 */
import { LineSplitter } from '../log/lines.js';
import { startChild } from './start-child.js';
import type { StartedChild } from './start-child-types.js';
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
  let resolveExit!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((r) => (resolveExit = r));
  let settled = false;
  let timer: Timer | undefined;

  const finish = (info: Omit<ExitInfo, 'timedOut' | 'durationMs'>): void => {
    running = false;
    resolveExit({ ...info, timedOut, durationMs: Date.now() - started });
  };

  // One splitter and decoder per stream: a character split across two reads stays whole.
  const splitters = new Map<1 | 2, { decoder: InstanceType<typeof TextDecoder>; lines: LineSplitter }>();
  let streamsLeft = 0;
  let streamsEnded: () => void = () => {};
  const drained = new Promise<void>((r) => (streamsEnded = r));
  const splitterFor = (fd: 1 | 2) => {
    let s = splitters.get(fd);
    if (!s) splitters.set(fd, (s = { decoder: new TextDecoder(), lines: new LineSplitter((line) => opts.onLine?.(line, pid ?? 0)) }));
    return s;
  };

  let child: StartedChild;
  try {
    child = startChild(file ?? '', args, { raw: opts.raw === true, env: opts.env ?? childEnv() }, {
      onOutput: (fd, chunk) => {
        const s = splitterFor(fd);
        s.lines.push(s.decoder.decode(chunk, { stream: true }));
      },
      onOutputEnd: (fd) => {
        const s = splitterFor(fd);
        s.lines.push(s.decoder.decode());
        s.lines.end();
        if (--streamsLeft === 0) streamsEnded();
      },
      onStartError: (err) => {
        if (settled) return;
        settled = true;
        finish({ code: null, signal: null, ...startFailure(err, file ?? '') });
      },
      onExit: (code, signal) => onExit(code, signal),
    });
  } catch (err) {
    // Synchronous spawn failures (invalid argument types) are reported like a failed start.
    queueMicrotask(() => finish({ status: 127, code: null, signal: null, startError: (err as Error).message }));
    return { pid: undefined, exited, isRunning: () => running, signal: () => false };
  }

  const pid = child.pid;
  streamsLeft = child.outputs;
  if (streamsLeft === 0) streamsEnded();
  if (pid !== undefined) {
    trackChild(pid);
    if (opts.jobPidName) setJobPid(opts.jobPidName, pid);
  }

  if (opts.timeoutMs && opts.timeoutMs > 0 && pid !== undefined) {
    timer = after(opts.timeoutMs, () => {
      if (!running) return;
      timedOut = true;
      opts.onTimeout?.(`${opts.name} timeout after ${goDuration(opts.timeoutMs!)}: '[${args.join(' ')}]'`);
      signalGroup(pid, 'SIGKILL');
    });
  }

  function onExit(code: number | null, signal: string | null): void {
    if (settled) return;
    settled = true;
    timer?.clear();
    if (pid !== undefined) {
      untrackChild(pid);
      if (opts.jobPidName) clearJobPid(opts.jobPidName, pid);
      noteExitedGroup(pid); // members left behind are killed when the supervisor ends
    }
    const status = code ?? (signal ? signalExitCode(signal as SignalName) : 1);
    // Let buffered output be logged before the exit is reported, so log order follows causality.
    const cap = sleep(DRAIN_MS, { unref: true });
    void Promise.race([drained, cap]).then(() => {
      finish({ status, code, signal: (signal as SignalName | null) ?? null });
      // A grandchild still holding the pipe must not keep us alive.
      child.closeOutputs();
    });
  }

  return {
    pid,
    exited,
    isRunning: () => running,
    signal: (sig) => (pid !== undefined && running ? signalGroup(pid, sig) : false),
  };
}
