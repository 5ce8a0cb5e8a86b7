/**
 * The supervisor behaves the same on Node, Bun and Deno: process groups, signal handling as a
 * parent, the stop sequence, init mode.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cliRuntime, type RuntimeName } from '../../testing/runtimes.js';
import { Supervisor, TempDir, withSupervisor } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

for (const name of ['node', 'bun', 'deno'] as RuntimeName[]) {
  describe(name, () => {
    const argv = cliRuntime(name).argv;

    test('SIGHUP event, then SIGTERM: preStop, app stopped by its group, postStop; exit 0', async (t) => {
      const dir = new TempDir();
      const order = `${dir.path}/order`;
      const config = dir.file('cp.json5', `{ control: { socket: "${dir.path}/cp.sock" }, jobs: [
        { name: "app", exec: ["sh", "-c", "trap 'echo app-term >> ${order}; exit 0' TERM; echo app-up; while :; do sleep 0.05; done"] },
        { name: "on-hup", exec: ["echo", "hup-job-ran"], when: { source: "SIGHUP" } },
        { name: "preStop", exec: ["sh", "-c", "echo prestop >> ${order}"], when: { source: "app", once: "stopping" } },
        { name: "postStop", exec: ["sh", "-c", "echo poststop >> ${order}"], when: { source: "app", once: "stopped" } },
      ] }`);
      const cp = withSupervisor(t, dir, config, { env: noEnv, argv });
      await cp.waitFor('app-up');
      cp.signal('SIGHUP');
      await cp.waitFor('hup-job-ran');
      cp.signal('SIGTERM');
      assert.equal((await cp.waitExit()).code, 0, cp.output);
      assert.deepEqual(dir.lines('order'), ['prestop', 'app-term', 'poststop']);
    });

    test('init mode: forwards SIGTERM and exits with the command code', async (t) => {
      const cp = new Supervisor(['run', '--', 'sh', '-c', "trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done"], { env: noEnv, argv });
      t.after(() => cp.dispose());
      await cp.waitFor('ready');
      cp.signal('SIGTERM');
      assert.equal((await cp.waitExit()).code, 42, cp.output);
    });
  });
}
