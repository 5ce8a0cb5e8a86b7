import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

const setupScript = join(repoRoot, 'scripts', 'setup-consul.sh');

/** The Consul version the setup script builds (the script is the single place that pins it). */
export function consulVersion(): string {
  const fromEnv = process.env['CONSUL_VERSION'];
  if (fromEnv) return 'v' + fromEnv.replace(/^v/, '');
  const match = /CONSUL_VERSION:-(v[0-9][0-9.]*)/.exec(readFileSync(setupScript, 'utf8'));
  if (!match?.[1]) throw new Error(`${setupScript}: no default CONSUL_VERSION found`);
  return match[1];
}

/** Where scripts/setup-consul.sh caches the binary. */
export function cachedConsulPath(): string {
  const cacheRoot = process.env['AUTOPILOT_CACHE'] || join(homedir(), '.cache', 'autopilot');
  return join(cacheRoot, `consul-${consulVersion()}`, 'consul');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let found: string | undefined;

/**
 * The real Consul binary the tests run: $AUTOPILOT_CONSUL_BIN, else the cached build, else
 * builds it now with scripts/setup-consul.sh (minutes, first run on a machine only).
 */
export function findConsulBinary(): string {
  if (found) return found;
  const fromEnv = process.env['AUTOPILOT_CONSUL_BIN'];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`AUTOPILOT_CONSUL_BIN=${fromEnv} is not an executable file`);
    return (found = fromEnv);
  }
  const cached = cachedConsulPath();
  if (isExecutable(cached)) return (found = cached);

  const run = spawnSync('bash', [setupScript], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 60 * 60 * 1000,
  });
  const lines = (run.stdout ?? '').trim().split('\n');
  const path = lines[lines.length - 1] ?? '';
  if (run.status !== 0 || !isExecutable(path)) {
    const why = run.error ? run.error.message : `exit status ${run.status}`;
    throw new Error(`scripts/setup-consul.sh failed (${why}); see its output above`);
  }
  return (found = path);
}
