/**
 * The control server, its client, telemetry (prom-client) and the ctl/status CLI on Bun and Deno: a script using the
 * compiled modules runs under each runtime and reports what it saw.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { cliPath, repoRoot } from '../../testing/paths.js';
import { RecordingHandlers } from '../../testing/recording-handlers.js';
import { startControlServer } from '../control/server.js';

const script = (distDir: string) => `
import { Telemetry } from ${JSON.stringify(pathToFileURL(join(distDir, 'telemetry', 'index.js')).href)};
import { startControlServer, ControlClient } from ${JSON.stringify(pathToFileURL(join(distDir, 'control', 'index.js')).href)};
import { statSync } from 'node:fs';
const socketPath = process.argv[process.argv.length - 1];
const snap = { version: 'x', maintenance: false, jobs: [], watches: [] };
const t = new Telemetry({ port: 0, interfaces: [], tags: [], metrics: [{ namespace: 'rt', subsystem: '', name: 'level', help: 'h', type: 'gauge' }] });
const srv = await t.start({ address: '127.0.0.1', port: 0, status: () => snap });
const ctl = await startControlServer({ socketPath, onRequest: (p, s) => t.recorder.controlRequest(p, s),
  handlers: { putEnv() {}, reload() {}, putMetric: (v) => t.putMetrics(v), setMaintenance() {}, status: () => snap } });
const mode = (statSync(socketPath).mode & 0o777).toString(8);
await new ControlClient(socketPath).putMetric({ rt_level: 42 });
const status = await new ControlClient(socketPath).status();
const text = await (await fetch('http://127.0.0.1:' + srv.port + '/metrics')).text();
await ctl.stop();
await t.stop();
console.log(JSON.stringify({ mode, version: status.version, gauge: text.split('\\n').find((l) => l.startsWith('rt_level ')), socketLeft: (() => { try { statSync(socketPath); return true; } catch { return false; } })() }));
`;

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('control and telemetry on other runtimes', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ap-rt-'));
    file = join(dir, 'smoke.mjs');
    writeFileSync(file, script(join(repoRoot, 'dist', 'supervisor')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const runtimes: Array<[string, (sock: string) => string[]]> = [
    ['bun', (sock) => [file, sock]],
    ['deno', (sock) => ['run', '-A', '--node-modules-dir=manual', file, sock]],
  ];
  for (const [name, args] of runtimes) {
    it(`works on ${name}`, async () => {
      const bin = join(repoRoot, 'node_modules', '.bin', name);
      assert.ok(existsSync(bin), `${bin} (a devDependency) is installed`);
      const r = await run(bin, args(join(dir, `${name}.socket`)));
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)!), { mode: '600', version: 'x', gauge: 'rt_level 42', socketLeft: false });
    });

    it(`autopilot -putenv and status run on ${name}`, async () => {
      const bin = join(repoRoot, 'node_modules', '.bin', name);
      const socket = join(dir, `${name}-cli.socket`);
      const handlers = new RecordingHandlers({ version: 'rt', maintenance: false, jobs: [], watches: [] });
      const server = await startControlServer({ socketPath: socket, handlers });
      try {
        const cli = (extra: string[]) => (name === 'deno' ? ['run', '-A', '--node-modules-dir=manual', cliPath, ...extra] : [cliPath, ...extra]);
        const put = await run(bin, cli(['-putenv', 'RUNTIME=' + name, '--socket', socket]));
        assert.equal(put.code, 0, put.stderr);
        assert.deepEqual(handlers.env, { RUNTIME: name });
        const status = await run(bin, cli(['status', '--json', '--socket', socket]));
        assert.equal(status.code, 0, status.stderr);
        assert.equal(JSON.parse(status.stdout).version, 'rt');
      } finally {
        await server.stop();
      }
    });
  }
});
