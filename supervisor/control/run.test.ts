/**
 * The control socket and telemetry inside a real `autopilot run`, driven with ContainerPilot's own
 * command forms (`-putenv`, `-reload`, `-putmetric`, `-maintenance`, `-ping` with `-config`).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath } from '../../testing/paths.js';
import { runCli } from '../../testing/runtimes-process.js';
import { cliRuntime } from '../../testing/runtimes.js';
import { ControlClient } from './client.js';

/** Runs the built CLI on Node to completion (async: the control server may live in this process). */
const exec = (args: string[], env: Record<string, string> = {}) =>
  runCli(cliRuntime('node'), args, { env: { CONTAINERPILOT: '', ...env }, timeoutMs: 20_000 }).then(({ code, stdout, stderr }) => ({ code, stdout, stderr }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await Promise.resolve()
      .then(fn)
      .catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('control and telemetry in autopilot run', () => {
  let dir: string;
  let cfg: string;
  let socket: string;
  let port: number;
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  const config = (extraJobs: string) => `{
  control: { socket: "${socket}" },
  jobs: [{ name: "app", exec: ["sleep", "60"] }${extraJobs}],
  telemetry: { port: ${port}, interfaces: ["static:127.0.0.1"],
    metrics: [{ namespace: "app", subsystem: "", name: "hits_total", help: "hits", type: "counter" }] },
}`;
  const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-run-'));
    cfg = join(dir, 'containerpilot.json5');
    socket = join(dir, 'cp.socket');
    port = await freePort();
    writeFileSync(cfg, config(''));
    child = spawn(process.execPath, [cliPath, 'run', '--config', cfg], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout!.on('data', (d: Buffer) => (output += d));
    child.stderr!.on('data', (d: Buffer) => (output += d));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await until('the control socket', () => new ControlClient(socket, 1000).ping().then(() => true));
  });
  after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('-ping with -config, or with $CONTAINERPILOT, finds the socket in the config', async () => {
    assert.deepEqual(await exec(['-config', cfg, '-ping']), { code: 0, stdout: 'ok\n', stderr: '' });
    assert.deepEqual(await exec(['-ping'], { CONTAINERPILOT: `file://${cfg}` }), { code: 0, stdout: 'ok\n', stderr: '' });
  });

  it('-putenv then -reload: a job added by the reload inherits the variable', async () => {
    const put = await exec(['-config', cfg, '-putenv', 'GREETING=hello from putenv']);
    assert.equal(put.code, 0, put.stderr);
    const out = join(dir, 'greeting.txt');
    writeFileSync(cfg, config(`, { name: "writer", exec: ["sh", "-c", "printf '%s' \\"$GREETING\\" > ${out}"] }`));
    const r = await exec(['-config', cfg, '-reload']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await until('the writer job', () => (existsSync(out) && readFileSync(out, 'utf8')) || undefined), 'hello from putenv');
  });

  it('-putmetric reaches /metrics, and events and control requests are counted', async () => {
    for (const args of [['-config', cfg, '-putmetric', 'app_hits_total=4'], ['ctl', 'putmetric', 'app_hits_total=1', '--socket', socket]]) {
      const r = await exec(args);
      assert.equal(r.code, 0, r.stderr);
    }
    const text = await metrics();
    assert.match(text, /^app_hits_total 5$/m);
    assert.match(text, /^containerpilot_events\{code="startup",source="global"\} 1$/m);
    assert.match(text, /^containerpilot_control_http_requests\{code="200",path="\/v3\/metric"\} 2$/m);
  });

  it('-maintenance enable shows in the status of both endpoints; disable clears it', async () => {
    const enable = await exec(['-config', cfg, '-maintenance', 'enable']);
    assert.equal(enable.code, 0, enable.stderr);
    const status = await exec(['status', '--json', '--config', cfg]);
    assert.equal(status.code, 0, status.stderr);
    const viaSocket = JSON.parse(status.stdout);
    assert.equal(viaSocket.maintenance, true);
    const viaHttp = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as { maintenance: boolean; jobs: Array<{ name: string; state: string }> };
    assert.equal(viaHttp.maintenance, true);
    assert.deepEqual(viaHttp.jobs.find((j) => j.name === 'app')?.state, 'running');
    assert.equal((await exec(['ctl', 'maintenance', 'disable', '--config', cfg])).code, 0);
    assert.equal((await new ControlClient(socket).status()).maintenance, false);
  });

  it('a reload with a broken config answers the config error, and the supervisor keeps running', async () => {
    writeFileSync(cfg, '{ jobs: [ ');
    const r = await exec(['ctl', 'reload', '--socket', socket]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: control socket .*: \/v3\/reload: 422 Unprocessable Entity: reload failed: .*containerpilot\.json5:1:/);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    await new ControlClient(socket).ping();
    writeFileSync(cfg, config(''));
  });

  it('a reload that changes control.socket moves the control plane to the new path', async () => {
    const old = socket;
    socket = join(dir, 'moved.socket');
    writeFileSync(cfg, config(''));
    assert.equal((await exec(['ctl', 'reload', '--socket', old])).code, 0);
    await until('the moved socket', () => new ControlClient(socket, 1000).ping().then(() => true));
    await until('the old socket to go', () => !existsSync(old));
    assert.deepEqual(await exec(['-config', cfg, '-ping']), { code: 0, stdout: 'ok\n', stderr: '' });
  });

  it('SIGTERM: the socket is removed and the telemetry port closed', async () => {
    child.kill('SIGTERM');
    await exited;
    assert.equal(existsSync(socket), false, output);
    await assert.rejects(metrics());
  });
});
