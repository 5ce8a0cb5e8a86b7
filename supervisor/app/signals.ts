/**
 * Signal handlers, installed explicitly: as PID 1 a process without a handler ignores SIGTERM.
 */
import type { SignalName } from '../process/signal-group.js';

export interface SignalHandlers {
  /** SIGTERM / SIGINT. */
  stop(sig: SignalName): void;
  other(sig: 'SIGHUP' | 'SIGUSR1' | 'SIGUSR2'): void;
}

const STOP: SignalName[] = ['SIGTERM', 'SIGINT'];
const OTHER = ['SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const;

/** Returns the uninstaller. */
export function installSignalHandlers(h: SignalHandlers): () => void {
  const installed: Array<[SignalName, () => void]> = [];
  for (const sig of STOP) installed.push([sig, () => h.stop(sig)]);
  for (const sig of OTHER) installed.push([sig, () => h.other(sig)]);
  for (const [sig, fn] of installed) process.on(sig, fn);
  return () => {
    for (const [sig, fn] of installed) process.off(sig, fn);
  };
}
