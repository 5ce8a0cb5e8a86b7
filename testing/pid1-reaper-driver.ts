/**
 * Fixture for zombie-reaper.test.ts, run as PID 1 (`unshare --pid --fork --mount-proc <runtime> this`).
 * Starts the zombie reaper, makes orphans that die as zombies under us, and meanwhile spawns its
 * own children whose exit codes must still be reported correctly: half registered with the
 * spawner's registry, half not (as another module's child_process call would be). Prints one
 * line `REPORT {json}` on stdout.
 * Env: DRIVER_ROUNDS (default 3), AUTOPILOT_REAP_ZOMBIES=0 for the control run without reaper.
 */
import { spawn } from 'node:child_process';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackChild, untrackChild } from '../supervisor/process/children.js';
import { loadLibc } from '../supervisor/process/ffi.js';
import { listProcesses, nodeProcReader, zombieChildren, type ProcReader } from '../supervisor/process/reaper-proc.js';
import { startZombieReaper } from '../supervisor/process/zombie-reaper.js';

const rounds = Number(process.env.DRIVER_ROUNDS ?? 3);
const ORPHANS_PER_MAKER = 2;
const MAKERS_PER_ROUND = 3;
const log = (msg: string): void => void process.stderr.write(`driver: ${msg}\n`);

/**
 * As PID 1: every zombie in this pid namespace, whoever its parent is. Otherwise (forced
 * subreaper mode) only our own zombie children: the host may have unrelated zombies.
 * -1 when /proc cannot be read (Deno without --allow-all and without FFI).
 */
function zombiesLeft(reader: ProcReader): number {
  if (reader.list('/proc').length === 0) return -1;
  const zombies = listProcesses(reader).filter((p) => p.state === 'Z');
  return (process.pid === 1 ? zombies : zombies.filter((p) => p.ppid === process.pid)).length;
}

/** Spawns `sh -c script`, optionally registered as the spawner would; resolves with its exit code. */
function run(script: string, tracked: boolean, detached = false): Promise<number | string> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { stdio: 'ignore', detached });
    if (tracked && child.pid !== undefined) trackChild(child.pid);
    // Bounded: an exit event the runtime lost (its status stolen) is reported, not awaited forever.
    const lost = setTimeout(() => resolve('no exit event'), 20_000);
    child.on('error', (err) => resolve(`error: ${err.message}`));
    child.on('exit', (code, signal) => {
      clearTimeout(lost);
      if (tracked && child.pid !== undefined) untrackChild(child.pid);
      resolve(code ?? `signal ${signal}`);
    });
  });
}

async function main(): Promise<void> {
  const reaper = await startZombieReaper({ intervalMs: 200, log });
  // Deno without --allow-all may only read /proc through FFI, as the reaper does.
  const libc = await loadLibc();
  const reader = (typeof libc !== 'string' && libc.procReader) || nodeProcReader;
  const expected: Record<string, number> = {};
  const pending: Array<Promise<[string, number | string]>> = [];
  for (let r = 0; r < rounds; r++) {
    for (let m = 0; m < MAKERS_PER_ROUND; m++) {
      // The two sleeps outlive their shell: they reparent to us and die as zombies.
      const name = `maker-${r}-${m}`;
      expected[name] = 0;
      pending.push(run('sleep 0.1 & sleep 0.2 & exit 0', m % 2 === 0, true).then((c) => [name, c]));
    }
    for (let i = 0; i < 10; i++) {
      const name = `child-${r}-${i}`;
      expected[name] = i;
      // Staggered exits so the runtime's reaping of these overlaps the reaper's scans.
      const delay = ((i * 37 + r * 11) % 50) / 100;
      pending.push(run(`sleep ${delay}; exit ${i}`, i % 2 === 0).then((c) => [name, c]));
    }
    await sleep(150);
  }
  const observed = Object.fromEntries(await Promise.all(pending));
  const orphans = rounds * MAKERS_PER_ROUND * ORPHANS_PER_MAKER;

  // Bounded wait for the orphans' fate: all reaped (reaper on) or all zombies (control run).
  let left = zombiesLeft(reader);
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    left = zombiesLeft(reader);
    const done = reaper ? left === 0 && reaper.reaped() >= orphans : left >= orphans;
    if (done || left === -1) break;
  }
  const report = {
    pid: process.pid,
    reaper: reaper ? reaper.backend : null,
    reaped: reaper ? reaper.reaped() : 0,
    orphans,
    zombiesLeft: left,
    zombieChildrenOfUs: zombieChildren(process.pid, reader).length,
    expected,
    observed,
  };
  reaper?.stop();
  process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`driver failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
