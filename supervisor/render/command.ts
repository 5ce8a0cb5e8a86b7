/**
 * Runs a template's command (argv, no shell) after a write and describes the result in one line.
 * Output is kept (bounded) to show on failure; a command still running after the timeout is
 * terminated, then killed.
 */
import { spawn } from 'node:child_process';
import { after, type Timer } from '../timers/timers.js';

export interface CommandResult {
  ok: boolean;
  /** `exit 0`, `exit 1: <output>`, `killed by SIGTERM (timeout 30 s)`, `failed: spawn x ENOENT` */
  summary: string;
}

const MAX_OUTPUT = 4096;

export function runCommand(argv: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let killTimer: Timer | undefined;
    const timer = after(timeoutMs, () => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = after(5_000, () => child.kill('SIGKILL'));
    });
    child.once('error', (err) => {
      timer.clear();
      killTimer?.clear();
      resolve({ ok: false, summary: `failed: ${err.message}` });
    });
    child.once('close', (code, signal) => {
      timer.clear();
      killTimer?.clear();
      const text = output.trim().replace(/\s*\n\s*/g, ' | ');
      if (code === 0 && !timedOut) return resolve({ ok: true, summary: 'exit 0' });
      const how = signal ? `killed by ${signal}${timedOut ? ` (timeout ${Math.round(timeoutMs / 1000)} s)` : ''}` : `exit ${code}`;
      resolve({ ok: false, summary: text ? `${how}: ${text}` : how });
    });
  });
}
