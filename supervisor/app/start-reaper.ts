/**
 * Starts the zombie reaper (supervisor/process/zombie-reaper.ts). It returns null when we are not PID 1
 * or no FFI is available: nothing to do then. A reaper that fails to start is reported, never
 * fatal: supervising the jobs matters more than reaping orphans.
 */
import type { LogWriter } from '../log/logger.js';

export interface ReaperHandle {
  stop(): void;
}

export async function startReaper(log: LogWriter): Promise<ReaperHandle | null> {
  try {
    // A literal specifier, so bundlers (bun build --compile) include it; loaded only here.
    const { startZombieReaper } = await import('../process/zombie-reaper.js');
    return (await startZombieReaper({ log: (m) => log.debug(m) })) ?? null;
  } catch (err) {
    log.warn(`zombie reaper unavailable: ${(err as Error).message}`);
    return null;
  }
}
