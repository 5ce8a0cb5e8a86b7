/**
 * Signals a child's whole process group (children are spawned detached, so their pid is also
 * their group id): a shell wrapper's own children get the signal too.
 */
export type SignalName = NodeJS.Signals;

/** Returns false when the group no longer exists. Never throws. */
export function signalGroup(pid: number, signal: SignalName): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // The group may be gone while the leader lingers (EPERM on some kernels/runtimes): try it alone.
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

const NUMBERS: Partial<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
};

/** Shell convention: a process killed by signal N "exits" 128+N. */
export function signalExitCode(signal: string): number {
  return 128 + (NUMBERS[signal] ?? 0);
}
