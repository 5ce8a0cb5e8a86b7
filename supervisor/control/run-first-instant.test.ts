// ContainerPilot's ordering, kept: the control socket exists (bound and queueing connections)
// before any job starts, so a preStart that talks to it at once finds it. The supervisor does not
// wait for the runtime's 'listening' callback to get there. A shell's `test -S`, a millisecond
// after the job's exec, is the quickest client there is.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../testing/runtimes-process.js';
import { cliRuntimes } from '../../testing/runtimes.js';

for (const runtime of cliRuntimes()) {
  test(`${runtime.name}: a job's first instant finds the control socket in place`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-first-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const socket = join(dir, 'cp.socket');
    const cfg = join(dir, 'containerpilot.json5');
    const probe = `if test -S ${socket}; then echo socket-present; else echo socket-missing; fi`;
    writeFileSync(cfg, JSON.stringify({ control: { socket }, jobs: [{ name: 'first', exec: ['sh', '-c', probe], restarts: 'never' }] }));
    const run = await runCli(runtime, ['run', '--config', cfg], { env: { CONTAINERPILOT: undefined }, timeoutMs: 30_000 });
    const out = run.stdout + run.stderr;
    assert.equal(run.code, 0, out);
    assert.match(out, /socket-present/);
    assert.doesNotMatch(out, /socket-missing/);
  });
}
