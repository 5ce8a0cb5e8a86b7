/**
 * Init mode: `autopilot run -- node server.js` with no config supervises that one command like
 * a minimal init: restarts never, output passed through untouched, signals forwarded, and the
 * supervisor exits with the command's exit code.
 */
import { basename } from 'node:path';
import type { Config } from '../config/model.js';

export function initModeConfig(argv: readonly string[]): Config {
  const name = basename(argv[0] ?? 'main').replace(/[^A-Za-z0-9_-]/g, '_') || 'main';
  return {
    // The command owns stdout; our own few lines go to stderr.
    logging: { level: 'INFO', format: 'default', output: 'stderr' },
    stopTimeoutMs: 5_000,
    control: { socket: '/var/run/containerpilot.socket' },
    jobs: [
      {
        name,
        exec: [...argv],
        timeoutMs: 0,
        stopTimeoutMs: 0,
        restarts: 0,
        when: { kind: 'event', sources: ['global'], event: 'startup', mode: 'once', timeoutMs: 0 },
        logging: { raw: true },
      },
    ],
    watches: [],
  };
}
