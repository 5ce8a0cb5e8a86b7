/**
 * Starts the zombie reaper (supervisor/process/reaper.ts). It returns null when we are not PID 1
 * or no FFI is available: nothing to do then. The import is static so that the single-file
 * binary's bundler includes the reaper (a computed import path would be left out of the bundle).
 */
import type { LogWriter } from '../log/logger.js';
import { startZombieReaper } from '../process/reaper.js';

export interface ReaperHandle {
  stop(): void;
}

export async function startReaper(log: LogWriter): Promise<ReaperHandle | null> {
  try {
    return (await startZombieReaper({ log: (m) => log.debug(m) })) ?? null;
  } catch (err) {
    log.warn(`zombie reaper failed to start: ${(err as Error).message}`);
    return null;
  }
}
