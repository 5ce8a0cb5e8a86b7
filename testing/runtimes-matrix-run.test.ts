/**
 * `autopilot run` on Node, Bun, Deno and the single-file binary, the same scenario on each:
 * jobs started by events, an exec and a built-in http health check, an interval job, the
 * control socket (`-ping`, `-putmetric`, `status`) driven by the same runtime's client, the
 * telemetry endpoint, SIGHUP/SIGUSR2 events, and the SIGTERM stop sequence with its exit code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort, runCli, supervise } from './runtimes-process.js';
import { cliRuntime, RUNTIME_NAMES } from './runtimes.js';
import { TempDir, until } from './supervisor.js';

function scenario(dir: TempDir, port: number): string {
  const order = `${dir.path}/order`;
  const log = (word: string): string => JSON.stringify(['sh', '-c', `echo ${word} >> ${order}`]);
  const app = dir.script('app.sh', `trap 'echo app-term >> ${order}; exit 0' TERM\necho app-up\ntouch ${dir.path}/ready\nwhile :; do sleep 0.05; done`);
  return dir.file('cp.json5', `{
  control: { socket: "${dir.path}/cp.sock" },
  stopTimeout: 10,
  telemetry: {
    port: ${port},
    interfaces: ["static:127.0.0.1"],
    metrics: [ { namespace: "rt", subsystem: "matrix", name: "level", help: "set through the control socket", type: "gauge" } ],
  },
  jobs: [
    { name: "app", exec: ["${app}"], health: { exec: ["test", "-f", "${dir.path}/ready"], interval: 1, ttl: 5 } },
    { name: "probe", exec: ["sleep", "60"], health: { http: "http://127.0.0.1:${port}/metrics", interval: 1, ttl: 5 } },
    { name: "on-app-healthy", exec: ${log('app-healthy')}, when: { source: "app", once: "healthy" } },
    { name: "on-probe-healthy", exec: ${log('probe-healthy')}, when: { source: "probe", once: "healthy" } },
    { name: "ticker", exec: ["sh", "-c", "echo tick >> ${dir.path}/ticks"], when: { interval: "200ms" } },
    { name: "on-hup", exec: ${log('hup')}, when: { source: "SIGHUP" } },
    { name: "on-usr2", exec: ${log('usr2')}, when: { source: "SIGUSR2" } },
    { name: "preStop", exec: ${log('prestop')}, when: { source: "app", once: "stopping" } },
    { name: "postStop", exec: ${log('poststop')}, when: { source: "app", once: "stopped" } },
  ],
}
`);
}

interface StatusJob {
  name: string;
  state: string;
  health: string;
}

for (const name of RUNTIME_NAMES) {
  describe(name, () => {
    it('runs the jobs, checks health, answers the control socket, serves metrics, stops in order', async (t) => {
      const rt = cliRuntime(name);
      const dir = new TempDir();
      const port = await freePort();
      const config = scenario(dir, port);
      // The client commands find the socket through $CONTAINERPILOT, as in a container.
      const env = { CONTAINERPILOT: config };
      const cp = supervise(rt, ['run'], { env });
      t.after(async () => {
        await cp.dispose();
        dir.dispose();
      });

      await cp.waitFor('app-up');
      await until(() => dir.lines('order').includes('app-healthy') && dir.lines('order').includes('probe-healthy'), 20_000, `both health checks passing; output:\n${cp.output}`);
      await until(() => dir.lines('ticks').length >= 3, 20_000, 'the interval job ran three times');

      const ping = await runCli(rt, ['-ping'], { env });
      assert.deepEqual([ping.code, ping.stdout.trim(), ping.stderr], [0, 'ok', '']);

      const put = await runCli(rt, ['-putmetric', 'rt_matrix_level=42'], { env });
      assert.equal(put.code, 0, put.stderr);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
      assert.match(metrics, /^rt_matrix_level 42$/m);

      const unknown = await runCli(rt, ['-putmetric', 'rt_matrix_missing=1'], { env });
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.stderr, /unknown metric rt_matrix_missing/);

      const status = await runCli(rt, ['status', '--json'], { env });
      assert.equal(status.code, 0, status.stderr);
      const jobs = (JSON.parse(status.stdout) as { jobs: StatusJob[] }).jobs;
      const byName = new Map(jobs.map((j) => [j.name, j]));
      assert.deepEqual(byName.get('app'), { ...byName.get('app'), state: 'running', health: 'healthy' });
      assert.deepEqual(byName.get('probe'), { ...byName.get('probe'), state: 'running', health: 'healthy' });
      const table = await runCli(rt, ['status'], { env });
      assert.match(table.stdout, /^app\s+running\s+healthy\s+0\s+\d+/m);

      cp.signal('SIGHUP');
      await until(() => dir.lines('order').includes('hup'), 15_000, 'the SIGHUP job');
      cp.signal('SIGUSR2');
      await until(() => dir.lines('order').includes('usr2'), 15_000, 'the SIGUSR2 job');

      cp.signal('SIGTERM');
      const exit = await cp.waitExit(30_000);
      assert.deepEqual(exit, { code: 0, signal: null }, cp.output);
      const order = dir.lines('order');
      assert.deepEqual(order.slice(-3), ['prestop', 'app-term', 'poststop'], order.join(','));
      assert.equal(order.filter((l) => l === 'app-healthy').length, 1);
      const gone = await runCli(rt, ['-ping'], { env });
      assert.equal(gone.code === 0, false, 'the socket is gone after the stop');
    });
  });
}
