/**
 * The built CLI as a real process under one runtime (testing/runtimes.ts), through the shared
 * Supervisor helper: kept running (`supervise`) or run to completion (`runCli`, bounded).
 */
import { createServer } from 'node:net';
import type { CliRuntime } from './runtimes.js';
import { Supervisor } from './supervisor.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Merged over this process's environment (NO_COLOR=1 added); undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Wraps the runtime's argv, e.g. ['unshare', '--pid', '--fork', ...]. */
  wrap?: readonly string[];
}

/** Starts `autopilot <args>` on `runtime`; the caller disposes of it. */
export function supervise(runtime: CliRuntime, args: readonly string[], opts: CliOptions = {}): Supervisor {
  return new Supervisor([...args], { cwd: opts.cwd, env: opts.env, argv: [...(opts.wrap ?? []), ...runtime.argv] });
}

/** Runs `autopilot <args>` on `runtime` to completion (killed after `timeoutMs`). */
export async function runCli(runtime: CliRuntime, args: readonly string[], opts: CliOptions & { timeoutMs?: number } = {}): Promise<CliResult> {
  const cp = supervise(runtime, args, opts);
  try {
    const exit = await cp.waitExit(opts.timeoutMs ?? 60_000);
    return { ...exit, stdout: cp.stdout, stderr: cp.stderr };
  } finally {
    await cp.dispose();
  }
}

/** A TCP port on loopback nobody is using right now (for telemetry and health checks). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      server.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port assigned'))));
    });
  });
}
