/**
 * Test helpers for `autopilot run`: a temp dir for configs and fixtures, and the built CLI run as
 * a real process whose output can be awaited. Every process and dir is cleaned up by `dispose()`
 * (SIGTERM first so the supervisor stops its jobs, SIGKILL if it does not end).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fixtureText } from './config-fixtures.js';
import { cliPath } from './paths.js';

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'autopilot-test-'));
  private sockets = 0;
  file(name: string, content: string, mode?: number): string {
    const p = join(this.path, name);
    writeFileSync(p, content);
    if (mode !== undefined) chmodSync(p, mode);
    return p;
  }
  /**
   * A config for `autopilot run`, given a control socket inside this dir when it has no
   * `control` block (see withControlSocket). Each call gets its own socket, so two supervisors
   * started from one dir never share one.
   */
  config(name: string, text: string): string {
    return this.file(name, withControlSocket(text, join(this.path, `cp-${++this.sockets}.sock`)));
  }
  /** An executable `#!/bin/sh` script. */
  script(name: string, body: string): string {
    return this.file(name, `#!/bin/sh\n${body}\n`, 0o755);
  }
  read(name: string): string {
    try {
      return readFileSync(join(this.path, name), 'utf8');
    } catch {
      return '';
    }
  }
  lines(name: string): string[] {
    return this.read(name).split('\n').filter((l) => l !== '');
  }
  dispose(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/**
 * `text` (a JSON5 or JSON config, possibly templated) with `control: { socket }` added as its
 * first key when it has none, so no test supervisor binds the default
 * /var/run/containerpilot.socket (shared by every test and any real supervisor on the machine).
 * Inserted on the config's first line, so the line numbers of later errors stay the same.
 */
export function withControlSocket(text: string, socket: string): string {
  if (/\bcontrol["']?\s*:/.test(text)) return text;
  // The object's opening brace: the first `{` not part of a `{{ template }}` delimiter.
  const open = /(?<!\{)\{(?!\{)/.exec(text);
  if (!open) throw new Error(`withControlSocket: no opening brace in config:\n${text}`);
  const at = open.index + 1;
  const empty = /^\s*\}/.test(text.slice(at));
  return `${text.slice(0, at)} "control": { "socket": ${JSON.stringify(socket)} }${empty ? ' ' : ', '}${text.slice(at)}`;
}

/**
 * One of our v3 config fixtures (supervisor/config/testdata/v3) with fixture paths replaced (in
 * memory), written into `dir` (see withControlSocket).
 */
export function fixtureConfig(dir: TempDir, name: string, replace: Record<string, string> = {}): string {
  let text = fixtureText('v3', name);
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  return dir.file(name, withControlSocket(text, join(dir.path, 'cp.socket')));
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Supervisor {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private waiters = new Set<() => void>();

  /** `argv`: the runtime's prefix (testing/runtimes.ts); default: this Node with the built CLI. */
  constructor(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; argv?: readonly string[] } = {}) {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const [cmd, ...prefix] = opts.argv ?? [process.execPath, cliPath];
    this.child = spawn(cmd!, [...prefix, ...args], { env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => {
      this.stdout += d.toString();
      this.notify();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      this.notify();
    });
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
  }

  get output(): string {
    return this.stdout + this.stderr;
  }
  get pid(): number {
    return this.child.pid!;
  }

  private notify(): void {
    for (const w of this.waiters) w();
  }

  /** Resolves when `pattern` appears in stdout+stderr; rejects after `timeoutMs` or at exit. */
  waitFor(pattern: RegExp | string, timeoutMs = 15_000): Promise<void> {
    const test = (): boolean => (typeof pattern === 'string' ? this.output.includes(pattern) : pattern.test(this.output));
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve();
      };
      const check = (): void => {
        if (test()) done();
      };
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${String(pattern)}; output:\n${this.output}`)), timeoutMs);
      this.waiters.add(check);
      void this.exited.then(() => setTimeout(() => (test() ? done() : done(new Error(`exited before ${String(pattern)}; output:\n${this.output}`))), 50));
    });
  }

  /** Polls `fn` (bounded); a failure or an early exit reports the output. */
  async until(fn: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!fn()) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        await sleep(50);
        if (fn()) return;
        throw new Error(`exited before ${what}; output:\n${this.output}`);
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${this.output}`);
      await sleep(25);
    }
  }

  /** Count of lines matching `re`. */
  count(re: RegExp): number {
    return this.output.split('\n').filter((l) => re.test(l)).length;
  }

  signal(sig: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(sig);
  }

  /** Waits for exit, failing if it takes longer than `timeoutMs`. */
  async waitExit(timeoutMs = 20_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`supervisor still running after ${timeoutMs}ms; output:\n${this.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops it if still running: SIGTERM, then SIGKILL after 8 s. */
  async dispose(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.signal('SIGTERM');
    const killer = setTimeout(() => this.signal('SIGKILL'), 8_000);
    await this.exited;
    clearTimeout(killer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns true (bounded). */
export async function until(fn: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * `autopilot run --config <config>` for one test: the supervisor is stopped and `dir` removed
 * when the test ends. `opts` as for `new Supervisor` (extra environment, the runtime's argv).
 */
export function withSupervisor(
  t: TestContext,
  dir: TempDir,
  config: string,
  opts: { env?: Record<string, string | undefined>; argv?: readonly string[] } = {},
): Supervisor {
  const cp = new Supervisor(['run', '--config', config], opts);
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  return cp;
}
