/**
 * The built CLI as a real process under one runtime (testing/runtimes.ts): run to completion,
 * or kept running (the supervisor) with its output awaitable. Everything is bounded; `dispose()`
 * stops a running one (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { CliRuntime } from './runtimes.js';

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

function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...extra };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env as Record<string, string>;
}

export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;
  private readonly waiters = new Set<() => void>();

  constructor(runtime: CliRuntime, args: readonly string[], opts: CliOptions = {}) {
    const argv = [...(opts.wrap ?? []), ...runtime.argv, ...args];
    this.child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (which: 'stdout' | 'stderr') => (d: Buffer) => {
      this[which] += d.toString();
      for (const w of this.waiters) w();
    };
    this.child.stdout!.on('data', collect('stdout'));
    this.child.stderr!.on('data', collect('stderr'));
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => resolve({ code: null, signal: null, stdout: this.stdout, stderr: this.stderr + String(err) }));
      this.child.once('close', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when `pattern` appears in stdout+stderr; rejects on timeout or exit without it. */
  waitFor(pattern: RegExp | string, timeoutMs = 20_000): Promise<void> {
    const seen = (): boolean => (typeof pattern === 'string' ? this.output.includes(pattern) : pattern.test(this.output));
    if (seen()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const finish = (err?: Error): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve();
      };
      const check = (): void => void (seen() && finish());
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${String(pattern)}; output:\n${this.output}`)), timeoutMs);
      this.waiters.add(check);
      void this.exited.then(() => setTimeout(() => (seen() ? finish() : finish(new Error(`exited before ${String(pattern)}; output:\n${this.output}`))), 50));
    });
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) this.child.kill(sig);
  }

  /** Waits for the exit; SIGKILLs and rejects after `timeoutMs`. */
  async waitExit(timeoutMs = 30_000): Promise<CliResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.signal('SIGKILL');
        reject(new Error(`still running after ${timeoutMs} ms; output:\n${this.output}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async dispose(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const killer = setTimeout(() => this.signal('SIGKILL'), 8_000);
    await this.exited;
    clearTimeout(killer);
  }
}

/** Runs the CLI to completion (bounded). */
export function runCli(runtime: CliRuntime, args: readonly string[], opts: CliOptions & { timeoutMs?: number } = {}): Promise<CliResult> {
  return new CliProcess(runtime, args, opts).waitExit(opts.timeoutMs ?? 60_000);
}
