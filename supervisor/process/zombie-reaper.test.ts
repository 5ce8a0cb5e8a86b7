import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { describe, it } from 'node:test';
import { repoRoot } from '../../testing/paths.js';
import { parseProcStat } from './reaper-proc.js';
import { startZombieReaper } from './zombie-reaper.js';

const driver = join(repoRoot, 'dist', 'testing', 'pid1-reaper-driver.js');
const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);
const runtimes: Record<string, string[]> = {
  node: [process.execPath],
  bun: [bin('bun')],
  deno: [bin('deno'), 'run', '-A'],
};

interface Report {
  pid: number;
  reaper: string | null;
  reaped: number;
  orphans: number;
  zombiesLeft: number;
  zombieChildrenOfUs: number;
  expected: Record<string, number>;
  observed: Record<string, number | string>;
}

/** Runs a command to completion; bounded. */
function exec(argv: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Runs the driver (as PID 1 of a fresh pid namespace unless asPid1 is false); bounded. */
function runDriver(cmd: string[], env: Record<string, string>, asPid1 = true, script: string | null = driver): Promise<{ report: Report | null; stderr: string; code: number | null }> {
  const userns = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  // --kill-child: if we kill unshare on timeout, its PID 1 (and so the namespace) dies too.
  const argv = asPid1 ? ['unshare', ...userns, '--pid', '--fork', '--mount-proc', '--kill-child', ...cmd] : [...cmd];
  if (script) argv.push(script);
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
      resolve({ report: line ? (JSON.parse(line.slice(7)) as Report) : null, stderr, code });
    });
  });
}

describe('parseProcStat', () => {
  it('reads state, ppid, process group and start time after a comm holding spaces and parentheses', () => {
    const line = '4242 (my (odd) name) Z 1 4242 4242 0 -1 4227460 0 0 0 0 0 0 0 0 20 0 1 0 987654 0 0\n';
    assert.deepEqual(parseProcStat(line), { pid: 4242, comm: 'my (odd) name', state: 'Z', ppid: 1, pgrp: 4242, startTime: '987654' });
  });
  it('rejects malformed lines', () => {
    assert.equal(parseProcStat('garbage'), null);
    assert.equal(parseProcStat('12 (x) S'), null);
  });
});

describe('startZombieReaper', () => {
  it('stays off when this process is not PID 1 and nothing forces it', async () => {
    assert.notEqual(process.pid, 1);
    const saved = process.env.AUTOPILOT_REAP_ZOMBIES;
    delete process.env.AUTOPILOT_REAP_ZOMBIES;
    try {
      assert.equal(await startZombieReaper(), null);
    } finally {
      if (saved !== undefined) process.env.AUTOPILOT_REAP_ZOMBIES = saved;
    }
  });

  for (const [name, cmd] of Object.entries(runtimes)) {
    it(`${name} as PID 1 reaps every orphan and still sees each own child's exit code`, async () => {
      assert.ok(existsSync(cmd[0]!), `${cmd[0]} missing: run npm ci`);
      const { report, stderr, code } = await runDriver(cmd, {});
      assert.ok(report, `no report (exit ${code}): ${stderr}`);
      assert.equal(code, 0, stderr);
      assert.equal(report.pid, 1);
      assert.equal(report.reaper, { node: 'koffi', bun: 'bun:ffi', deno: 'deno' }[name]);
      assert.deepEqual(report.observed, report.expected);
      assert.equal(report.zombiesLeft, 0);
      // Exactly the orphans: had the reaper taken one of our own children, this would be higher.
      assert.equal(report.reaped, report.orphans);
    });

    it(`${name} as PID 1 without the reaper keeps the orphans as zombies (control)`, async () => {
      const { report, stderr } = await runDriver(cmd, { AUTOPILOT_REAP_ZOMBIES: '0', DRIVER_ROUNDS: '1' });
      assert.ok(report, stderr);
      assert.equal(report.reaper, null);
      assert.deepEqual(report.observed, report.expected);
      assert.equal(report.zombiesLeft, report.orphans);
      assert.equal(report.zombieChildrenOfUs, report.orphans);
    });
  }

  it('deno with --allow-ffi but without --allow-all (so no /proc for its file APIs) still reaps', async () => {
    const cmd = [bin('deno'), 'run', '--allow-ffi', '--allow-run', '--allow-env'];
    const { report, stderr, code } = await runDriver(cmd, { DRIVER_ROUNDS: '1' });
    assert.ok(report, stderr);
    assert.equal(code, 0, stderr);
    assert.equal(report.reaper, 'deno');
    assert.deepEqual(report.observed, report.expected);
    assert.equal(report.zombiesLeft, 0);
    assert.equal(report.reaped, report.orphans);
  });

  it('deno without --allow-ffi turns the reaper off with a message instead of prompting or failing', async () => {
    const cmd = [bin('deno'), 'run', '--allow-read', '--allow-run', '--allow-env'];
    const { report, stderr, code } = await runDriver(cmd, { DRIVER_ROUNDS: '1' });
    assert.ok(report, stderr);
    assert.equal(code, 0);
    assert.equal(report.reaper, null);
    assert.match(stderr, /zombie reaping disabled: Deno needs --allow-ffi/);
    assert.deepEqual(report.observed, report.expected);
  });

  it('a single-file binary from bun build --compile reaps as PID 1 (bun:ffi still loads)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autopilot-reaper-'));
    try {
      const out = join(dir, 'driver');
      const built = await exec([bin('bun'), 'build', '--compile', driver, '--outfile', out]);
      assert.equal(built.code, 0, built.output);
      const { report, stderr, code } = await runDriver([out], { DRIVER_ROUNDS: '1' }, true, null);
      assert.ok(report, stderr);
      assert.equal(code, 0, stderr);
      assert.equal(report.reaper, 'bun:ffi');
      assert.deepEqual(report.observed, report.expected);
      assert.equal(report.zombiesLeft, 0);
      assert.equal(report.reaped, report.orphans);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forced outside PID 1 (AUTOPILOT_REAP_ZOMBIES=1) becomes a subreaper and reaps its orphans', async () => {
    const { report, stderr, code } = await runDriver(runtimes.node!, { AUTOPILOT_REAP_ZOMBIES: '1', DRIVER_ROUNDS: '1' }, false);
    assert.ok(report, stderr);
    assert.equal(code, 0, stderr);
    assert.notEqual(report.pid, 1);
    assert.equal(report.reaper, 'koffi');
    assert.deepEqual(report.observed, report.expected);
    assert.equal(report.zombiesLeft, 0);
    assert.equal(report.reaped, report.orphans);
  });
});
