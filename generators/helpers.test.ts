/**
 * Helpers shared by the generator tests (named *.test.ts so the package never ships them; it
 * holds no tests itself).
 */
import { PLATFORMS, type SupervisorSource } from './supervisor-source.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import { cliPath } from '../testing/paths.js';
import type { FileOp, ReadFile } from './types.js';

/** A fresh temp directory removed when the test ends, pass or fail. */
export function tempDir(t: TestContext, prefix = 'autopilot-gen-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeOps(dir: string, ops: FileOp[]): void {
  for (const op of ops) {
    const target = join(dir, op.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, op.content, { mode: op.mode ?? 0o644 });
  }
}

/** Every file under `dir` (relative path -> text), sorted by path. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A ReadFile over an in-memory project. */
export function memReader(files: Record<string, string>): ReadFile {
  return (path) => files[path];
}

export function opsToFiles(ops: FileOp[]): Record<string, string> {
  return Object.fromEntries(ops.map((op) => [op.path, op.content]));
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with stdin not a terminal (a pipe), with a time limit. */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; input?: string }): CliResult {
  // Colour is off unless a test asks; an undefined value removes the variable.
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: '1', ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd,
    env,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a Node script to completion (bounded), with extra environment. */
export async function runNode(script: string, env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  return { status, stdout, stderr };
}

/** A released version's supervisor source: fixed checksums and client integrity, so tests see the pinned files. */
export function released(version: string): SupervisorSource {
  return { version, sha256: Object.fromEntries(PLATFORMS.map((p, i) => [p, String(i + 1).repeat(64)])), vendor: false, clientIntegrity: `sha512-${'A'.repeat(86)}==` };
}

/** A development build's: no checksums, no published client (the apps vendor it). */
export function development(version: string): SupervisorSource {
  return { version, sha256: {}, vendor: false };
}
