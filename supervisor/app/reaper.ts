/**
 * Starts the zombie reaper (supervisor/process/reaper.ts, built separately) when this build has
 * it. It returns null when we are not PID 1 or no FFI is available: nothing to do then.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LogWriter } from '../log/logger.js';

export interface ReaperHandle {
  stop(): void;
}

type ReaperModule = {
  startZombieReaper?: (opts?: { intervalMs?: number; log?: (msg: string) => void }) => Promise<ReaperHandle | null>;
};

export async function startReaper(log: LogWriter): Promise<ReaperHandle | null> {
  const url = new URL('../process/reaper.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null; // not in this build
  let mod: ReaperModule;
  try {
    mod = (await import(url.href)) as ReaperModule;
  } catch (err) {
    log.warn(`zombie reaper unavailable: ${(err as Error).message}`);
    return null;
  }
  try {
    return (await mod.startZombieReaper?.({ log: (m) => log.debug(m) })) ?? null;
  } catch (err) {
    log.warn(`zombie reaper failed to start: ${(err as Error).message}`);
    return null;
  }
}
