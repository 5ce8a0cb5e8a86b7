// The supervisors the side-by-side benchmark compares: ContainerPilot 3.8 (built from source, in
// ../shared/bin; absent on a fresh clone, then the section is skipped with a note) and autopilot
// on each runtime, each started on a config file and observed through /proc.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sleep } from './report.mjs';

export const CONTAINERPILOT = join(repoRoot, '..', 'shared', 'bin', 'containerpilot-3.8');

const { cliRuntime } = await import(join(repoRoot, 'dist', 'testing', 'runtimes.js'));

/** [{ name, label, argv(config) }]: ContainerPilot first when it is there, then autopilot's runtimes. */
export function peers(names) {
  const out = [];
  if (existsSync(CONTAINERPILOT)) out.push({ name: 'containerpilot', label: 'ContainerPilot 3.8', argv: (config) => [CONTAINERPILOT, '-config', config] });
  for (const name of names) {
    const rt = cliRuntime(name);
    out.push({ name, label: name === 'binary' ? 'autopilot binary' : `autopilot on ${name[0].toUpperCase()}${name.slice(1)}`, argv: (config) => [...rt.argv, 'run', '--config', config] });
  }
  return out;
}

/** The same list in a fresh random order: interleaved rounds spread drifting load over every peer. */
export function shuffled(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Starts `argv`; the handle keeps the output's tail, waits for its exit and stops it (SIGTERM, then SIGKILL). */
export function launch(argv, env = {}) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CONTAINERPILOT: '', NO_COLOR: '1', ...env } });
  let output = '';
  const keep = (d) => (output = (output + d.toString()).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  const onExit = () => child.kill('SIGKILL');
  process.on('exit', onExit);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid,
    output: () => output,
    running,
    exited,
    /** Waits up to `ms` for the exit; kills it after that. Resolves with { code, signal, at, killed }. */
    async wait(ms) {
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const r = await exited;
      clearTimeout(timer);
      process.off('exit', onExit);
      return { ...r, killed: r.signal === 'SIGKILL' };
    },
    async stop(graceMs = 15_000) {
      if (running()) child.kill('SIGTERM');
      return this.wait(graceMs);
    },
  };
}

/** Polls `check` every `everyMs` until it returns a value other than undefined, for at most `ms`. */
export async function until(what, check, ms, everyMs = 2) {
  const end = performance.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(everyMs);
  }
}
