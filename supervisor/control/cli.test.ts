/** The `autopilot ctl` / `status` commands and ContainerPilot's flag forms, spawned for real. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runCli } from '../../testing/runtimes-process.js';
import { cliRuntime } from '../../testing/runtimes.js';
import { RecordingHandlers } from '../../testing/recording-handlers.js';
import { startControlServer, type ControlServer } from './server.js';
import type { StatusSnapshot } from '../status/types.js';

/** Runs the built CLI on Node to completion (async: the control server may live in this process). */
const autopilot = (args: string[], env: Record<string, string> = {}) =>
  runCli(cliRuntime('node'), args, { env: { CONTAINERPILOT: '', ...env }, timeoutMs: 20_000 }).then(({ code, stdout, stderr }) => ({ code, stdout, stderr }));

const snapshot: StatusSnapshot = {
  version: '0.1.0',
  maintenance: false,
  jobs: [
    { name: 'nginx', state: 'running', health: 'healthy', restarts: 0, pid: 31, service: { id: 'nginx-host', address: '172.18.0.4', port: 80 } },
    { name: 'onchange-backend', state: 'idle', health: 'none', restarts: 3, pid: null },
  ],
  watches: [
    { name: 'backend', kind: 'service', instances: [{ id: 'backend-a', address: '172.18.0.5', port: 3000 }, { id: 'backend-b', address: '172.18.0.6', port: 3000 }] },
    { name: 'flags', kind: 'kv', instances: [], keys: [] },
  ],
};

describe('autopilot ctl and status against a live control socket', () => {
  let dir: string;
  let socket: string;
  let server: ControlServer;
  let handlers: RecordingHandlers;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-ctlcli-'));
    socket = join(dir, 'cp.socket');
  });
  beforeEach(async () => {
    await server?.stop();
    handlers = new RecordingHandlers(snapshot, new Set(['app_hits_total', 'app_load']));
    server = await startControlServer({ socketPath: socket, handlers });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ctl ping and -ping print ok', async () => {
    for (const args of [['ctl', 'ping', '--socket', socket], ['-ping', '--socket', socket]]) {
      const r = await autopilot(args);
      assert.deepEqual(r, { code: 0, stdout: 'ok\n', stderr: '' }, args.join(' '));
    }
  });

  it('ctl reload and -reload reload', async () => {
    assert.equal((await autopilot(['ctl', 'reload', '--socket', socket])).code, 0);
    assert.equal((await autopilot(['-reload', '--socket', socket])).code, 0);
    assert.deepEqual(handlers.calls, [{ call: 'reload' }, { call: 'reload' }]);
  });

  it('ctl putenv sets every pair; -putenv may repeat', async () => {
    assert.equal((await autopilot(['ctl', 'putenv', 'A=1', 'B=x=y', 'EMPTY=', '--socket', socket])).code, 0);
    assert.equal((await autopilot(['-putenv', 'C=3', '-putenv', 'D=4', '-putenv', 'E=5', '--socket', socket])).code, 0);
    assert.deepEqual(handlers.calls, [
      { call: 'putEnv', vars: { A: '1', B: 'x=y', EMPTY: '' } },
      { call: 'putEnv', vars: { C: '3', D: '4', E: '5' } },
    ]);
  });

  it('ctl putmetric and -putmetric send numbers', async () => {
    assert.equal((await autopilot(['ctl', 'putmetric', 'app_hits_total=2', 'app_load=-0.5', '--socket', socket])).code, 0);
    assert.equal((await autopilot(['-putmetric', 'app_hits_total=1', '--socket', socket])).code, 0);
    assert.deepEqual(handlers.calls, [
      { call: 'putMetric', values: { app_hits_total: 2, app_load: -0.5 } },
      { call: 'putMetric', values: { app_hits_total: 1 } },
    ]);
  });

  it('ctl maintenance enable|disable and -maintenance', async () => {
    assert.equal((await autopilot(['ctl', 'maintenance', 'enable', '--socket', socket])).code, 0);
    assert.equal(handlers.maintenance, true);
    assert.equal((await autopilot(['-maintenance', 'disable', '--socket', socket])).code, 0);
    assert.deepEqual(handlers.calls, [
      { call: 'setMaintenance', on: true },
      { call: 'setMaintenance', on: false },
    ]);
  });

  it('a request the supervisor refuses is a one-line error, exit 1', async () => {
    const r = await autopilot(['ctl', 'putmetric', 'nope=1', '--socket', socket]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: control socket ${socket}: /v3/metric: 422 Unprocessable Entity: unknown metric nope\n`);
  });

  it('argument mistakes are one-line errors, exit 2, and send nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['ctl', 'putenv', 'NOEQUALS'], /^error: putenv: "NOEQUALS" is not KEY=value\n$/],
      [['ctl', 'putenv'], /^error: putenv: give at least one KEY=value\n$/],
      [['ctl', 'putmetric', 'app_load=high'], /^error: putmetric: value of app_load must be a number, got "high"\n$/],
      [['ctl', 'maintenance', 'on'], /^error: maintenance: expected "enable" or "disable", got "on"\n$/],
      [['ctl', 'restart'], /^error: ctl: unknown action "restart"; expected one of: reload, ping/],
    ];
    for (const [args, stderr] of cases) {
      const r = await autopilot([...args, '--socket', socket]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, stderr);
    }
    assert.deepEqual(handlers.calls, []);
  });

  it('status prints jobs, health, restarts, watches and instances', async () => {
    const r = await autopilot(['status', '--socket', socket]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'Version: 0.1.0   Maintenance: off');
    assert.match(r.stdout, /^JOB +STATE +HEALTH +RESTARTS +PID +SERVICE$/m);
    assert.match(r.stdout, /^nginx +running +healthy +0 +31 +172\.18\.0\.4:80$/m);
    assert.match(r.stdout, /^onchange-backend +idle +none +3 +- +-$/m);
    assert.match(r.stdout, /^WATCH +KIND +COUNT +INSTANCES$/m);
    assert.match(r.stdout, /^backend +service +2 +172\.18\.0\.5:3000, 172\.18\.0\.6:3000$/m);
    assert.match(r.stdout, /^flags +kv +0 +-$/m);
  });

  it('status --json prints the snapshot', async () => {
    await autopilot(['ctl', 'maintenance', 'enable', '--socket', socket]);
    const r = await autopilot(['status', '--json', '--socket', socket]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ...snapshot, maintenance: true });
  });

  it('an unreachable socket is a one-line error naming the path, exit 1', async () => {
    const missing = join(dir, 'none.socket');
    for (const args of [['ctl', 'reload', '--socket', missing], ['-putenv', 'A=1', '--socket', missing], ['status', '--socket', missing]]) {
      const r = await autopilot(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, `error: cannot reach the control socket ${missing}: no such socket (is the supervisor running?)\n`);
      assert.equal(r.stdout, '');
    }
  });

  it('a config that cannot be loaded is a user error, exit 2', async () => {
    const cfg = join(dir, 'broken.json5');
    writeFileSync(cfg, '{ control: { socket: "x" ');
    const r = await autopilot(['ctl', 'ping', '--config', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^error: ${cfg.replace(/[.]/g, '\\.')}`));
  });
});
