// Running commands with a time limit and captured output; a failure carries the command line and
// its output, so a phase failure shows what went wrong.
import { spawn } from 'node:child_process';

export class CommandError extends Error {
  constructor(message, result) {
    super(message);
    this.result = result;
  }
}

/**
 * run(cmd, args, { env, cwd, timeoutMs = 120000, input, allowFail = false })
 * -> { code, signal, stdout, stderr, ms }
 */
export function run(cmd, args, opts = {}) {
  const { env, cwd, timeoutMs = 120_000, input, allowFail = false } = opts;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout kills the command and whatever it started.
    const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new CommandError(`${cmd}: ${err.message}`, { code: -1, stdout, stderr }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr, ms: performance.now() - started };
      const line = [cmd, ...args].join(' ');
      if (timedOut) {
        reject(new CommandError(`\`${line}\` did not finish within ${timeoutMs / 1000} s\n${tail(stdout, stderr)}`, result));
      } else if (code !== 0 && !allowFail) {
        reject(new CommandError(`\`${line}\` exited with ${code ?? signal}\n${tail(stdout, stderr)}`, result));
      } else {
        resolve(result);
      }
    });
    // A command that exits without reading its input (`docker tag`, `docker compose version`) may
    // close the pipe first: that EPIPE is no failure of the command, whose exit code tells.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

function tail(stdout, stderr) {
  const lines = `${stdout}${stderr}`.trimEnd().split('\n');
  return lines.slice(-40).join('\n');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` (returns a value, or undefined while not there yet) every `everyMs` until it
 * returns a value or `timeoutMs` passes; then throws with `describe()` saying what was last seen.
 */
export async function waitFor(what, probe, { timeoutMs = 120_000, everyMs = 250, describe } = {}) {
  const deadline = performance.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() > deadline) {
      const seen = describe ? `; last seen: ${await Promise.resolve(describe()).catch((e) => e.message)}` : '';
      const why = lastError ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${seen}${why}`);
    }
    await sleep(everyMs);
  }
}
