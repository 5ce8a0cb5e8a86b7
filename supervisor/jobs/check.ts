/**
 * One health check run. `exec` forks (its own process group, SIGKILL at the timeout); `http` and
 * `tcp` run in-process with no fork, so an image needs neither curl nor nc.
 */
import { createRequire } from 'node:module';
import type { HealthConfig } from '../config/model.js';
import type { LogWriter } from '../log/logger.js';
import { spawnProcess } from '../process/spawn.js';
import { after } from '../timers/timers.js';

export interface CheckOptions {
  /** `check.<job>`: the name in logs and the source of the check's exit events. */
  name: string;
  timeoutMs: number;
  log: LogWriter;
  /** Pass the check's output through unlogged (`health.logging.raw`). */
  raw: boolean;
  /** Aborted when the job stops: an `exec` check still running is killed with its group. */
  signal?: AbortSignal;
}

export interface CheckResult {
  passed: boolean;
  /** Why it failed, for the log. */
  detail?: string;
}

export async function runCheck(check: HealthConfig['check'], opts: CheckOptions): Promise<CheckResult> {
  switch (check.kind) {
    case 'exec':
      return execCheck(check.exec, opts);
    case 'http':
      // Loaded at the first http check, so no start pays for what only these checks use.
      return (await import('./http-check.js')).httpCheck(check.url, opts.timeoutMs);
    case 'tcp':
      return tcpCheck(check.host, check.port, opts.timeoutMs);
    case 'none':
      return { passed: true };
  }
}

async function execCheck(argv: string[], opts: CheckOptions): Promise<CheckResult> {
  const child = spawnProcess({
    name: opts.name,
    argv,
    timeoutMs: opts.timeoutMs,
    raw: opts.raw,
    onLine: (line, pid) => opts.log.info(line, { check: opts.name, pid }),
    onTimeout: (msg) => opts.log.warn(msg),
  });
  // As ContainerPilot: a check still running when its job stops is SIGKILLed, group and all.
  const kill = (): void => void child.signal('SIGKILL');
  if (opts.signal?.aborted) kill();
  opts.signal?.addEventListener('abort', kill, { once: true });
  const exit = await child.exited;
  opts.signal?.removeEventListener('abort', kill);
  if (exit.status === 0) return { passed: true };
  if (exit.startError) return { passed: false, detail: `unable to start ${opts.name}: ${exit.startError}` };
  return { passed: false, detail: exit.timedOut ? 'timed out' : `exit status ${exit.status}` };
}

function tcpCheck(host: string, port: number, timeoutMs: number): Promise<CheckResult> {
  // node:net at the first tcp check: loading it costs a binary about 2 ms of its start.
  const { connect } = createRequire(import.meta.url)('node:net') as typeof import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (r: CheckResult): void => {
      timer.clear();
      socket.destroy();
      resolve(r);
    };
    const timer = after(timeoutMs, () => done({ passed: false, detail: `connect ${host}:${port}: timed out` }));
    socket.once('connect', () => done({ passed: true }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ passed: false, detail: `connect ${host}:${port}: ${err.code ?? err.message}` }));
  });
}
