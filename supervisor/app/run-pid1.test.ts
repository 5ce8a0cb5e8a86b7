/**
 * As PID 1 (a fresh PID namespace via `unshare`), a process without a SIGTERM handler would
 * ignore SIGTERM: the supervisor installs its own, so `docker stop` stops it cleanly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { cliRuntime, type RuntimeName } from '../../testing/runtimes.js';
import { Supervisor, TempDir, withSupervisor } from '../../testing/supervisor.js';

/** The pid (in our namespace) of unshare's forked child: the PID 1 of the new namespace. */
function innerPid(unsharePid: number): number {
  const children = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim();
  const pid = Number(children.split(/\s+/)[0]);
  assert.ok(pid > 0, `no child under unshare ${unsharePid}`);
  return pid;
}

for (const name of ['node', 'bun', 'deno'] as RuntimeName[]) {
  describe(name, () => {
    test('as PID 1: children see CONTAINERPILOT_PID=1; SIGTERM stops the jobs and exits 0', async (t) => {
      const dir = new TempDir();
      const config = dir.file('cp.json5', `{ control: { socket: "${dir.path}/cp.sock" }, jobs: [
        { name: "app", exec: ["sh", "-c", "trap 'echo app-term; exit 0' TERM; echo supervisor=$CONTAINERPILOT_PID; while :; do sleep 0.05; done"] },
      ] }`);
      const argv = ['unshare', '--pid', '--fork', '--mount-proc', ...cliRuntime(name).argv];
      const cp = withSupervisor(t, dir, config, { env: { CONTAINERPILOT: undefined }, argv });
      await cp.waitFor('supervisor=1');
      process.kill(innerPid(cp.pid), 'SIGTERM');
      const exit = await cp.waitExit();
      assert.equal(exit.code, 0, cp.output);
      assert.match(cp.output, /app-term/);
    });
  });
}
