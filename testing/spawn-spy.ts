/**
 * A preload for `node --import` that records every child process the supervisor asks Node to
 * start: each child_process entry point appends "<function> <command>" to $SPAWN_SPY_LOG.
 * Used to prove that something forks nothing (and, as a control, that a fork is seen).
 */
import cp from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const log = process.env['SPAWN_SPY_LOG'];
if (log) {
  const api = cp as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
    const original = api[name]!;
    api[name] = function (this: unknown, ...args: unknown[]) {
      appendFileSync(log, `${name} ${String(args[0])}\n`);
      return original.apply(this, args);
    };
  }
  // ESM `import { spawn } from 'node:child_process'` bindings follow the patched exports.
  syncBuiltinESMExports();
}
