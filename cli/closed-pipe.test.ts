/**
 * Every command that prints, piped into a reader that goes away (`| head -1`), ends quietly: no
 * stack trace, no "Unhandled 'error' event", exit 0 (cli/closed-pipe.ts says why 0). Two readers:
 * one that reads the first line and then closes (what `head -1` does), and one closed before the
 * command prints anything, so that every write meets a closed pipe whatever the timing.
 * On Node, Bun, Deno and the single-file binary.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliRuntime, RUNTIME_NAMES } from '../testing/runtimes.js';

type Reader = 'first-line' | 'closed';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs argv with stdout a real pipe that the reader closes; resolves when the process ends. */
function pipeInto(argv: readonly string[], cwd: string, reader: Reader, spawned?: (child: ChildProcess) => void): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...process.env, NO_COLOR: '1', CONTAINERPILOT: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    spawned?.(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (reader === 'closed') child.stdout.destroy();
    else {
      let seen = '';
      const onData = (d: Buffer) => {
        seen += d.toString();
        if (!seen.includes('\n')) return;
        child.stdout.off('data', onData);
        child.stdout.destroy();
      };
      child.stdout.on('data', onData);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

function assertQuiet(r: Ended, what: string): void {
  assert.doesNotMatch(r.stderr, /\n\s+at |EPIPE|Unhandled|internal error/, `${what}: ${r.stderr}`);
  assert.equal(r.signal, null, what);
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
}

const CONFIG = (socket: string) => `{ consul: "127.0.0.1:1", control: { socket: "${socket}" }, jobs: [{ name: "app", exec: ["sleep", "60"] }] }\n`;

for (const runtime of RUNTIME_NAMES) {
  describe(`a closed pipe on ${runtime}`, () => {
    const cli = () => cliRuntime(runtime).argv;
    let dir = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'autopilot-pipe-'));
      // Each command runs in a copy of base/: a generated project, a config and a template.
      const base = join(dir, 'base');
      mkdirSync(base);
      const made = spawnSync(cli()[0]!, [...cli().slice(1), 'new', 'hello-world', 'proj', '--yes'], { cwd: base, encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      writeFileSync(join(base, 'cp.json5'), CONFIG(join(dir, 'cp.socket')));
      writeFileSync(join(base, 't.ctmpl'), 'static\nsecond line\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const printing: Array<[string, string[], string]> = [
      ['--help', ['--help'], '.'],
      ['help new', ['help', 'new'], '.'],
      ['new --dry-run', ['new', 'hello-world', 'zz', '--dry-run'], '.'],
      ['new --dry-run --json', ['new', 'todo-api', 'zz', '--dry-run', '--json'], '.'],
      ['add service --dry-run', ['add', 'service', 'q1', '--dry-run'], 'proj'],
      ['add backend', ['add', 'backend', 'db', '--service', 'hello'], 'proj'],
      ['validate', ['validate', 'cp.json5', 'proj/hello/containerpilot.json5'], '.'],
      // The supervisor's own command quiets its streams only where it prints through them.
      ['run --template', ['run', '--config', 'cp.json5', '--template'], '.'],
      ['render --once', ['render', '--once', '--consul', '127.0.0.1:1', '--template', 't.ctmpl:out.txt:echo rendered'], '.'],
    ];
    // Watching Consul, render prints a line per render and would run on: a closed pipe stops it.
    // Only the closed reader: after its one line it prints nothing more to notice a reader leave by.
    const watching: [string, string[], string] = ['render (watching)', ['render', '--consul', '127.0.0.1:1', '--template', 't.ctmpl:out.txt'], '.'];
    for (const reader of ['first-line', 'closed'] as Reader[]) {
      const commands = reader === 'closed' ? [...printing, watching] : printing;
      test(`${reader}: ${commands.map(([name]) => name).join(', ')} end quietly with exit 0`, async () => {
        for (const [name, args, cwd] of commands) {
          const work = join(dir, `${reader}-${name.replace(/\W+/g, '-')}`);
          cpSync(join(dir, 'base'), work, { recursive: true });
          assertQuiet(await pipeInto([...cli(), ...args], join(work, cwd), reader), name);
        }
      });
    }

    test('status (of a running supervisor) ends quietly; run drops its own lines and keeps supervising', async () => {
      const socket = join(dir, 'cp.socket');
      const cfg = join(dir, 'run.json5');
      writeFileSync(cfg, `{ consul: "127.0.0.1:1", control: { socket: "${socket}" }, jobs: [{ name: "app", exec: ["sh", "-c", "trap 'exit 0' TERM; while true; do echo tick; sleep 0.05; done"] }] }\n`);
      // The reader of `run` goes away after its first line; then status is asked, then run is stopped.
      let supervisor: ChildProcess | undefined;
      const running = pipeInto([...cli(), 'run', '--config', cfg], dir, 'first-line', (child) => (supervisor = child));
      let status: Ended | undefined;
      for (let i = 0; i < 100 && !status; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const probe = await pipeInto([...cli(), 'status', '--socket', socket], dir, 'first-line');
        if (probe.code === 0) status = probe;
      }
      assert.ok(status, 'status never answered');
      assertQuiet(status, 'status');
      assertQuiet(await pipeInto([...cli(), 'status', '--json', '--socket', socket], dir, 'closed'), 'status --json');
      supervisor!.kill('SIGTERM');
      assertQuiet(await running, 'run');
    });
  });
}
