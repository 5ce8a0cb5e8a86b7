/**
 * Interval tasks, timeouts, restart counts and crash-loop back-off (ContainerPilot's test_tasks
 * and test_coprocess, re-enacted).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureConfig, Supervisor, TempDir, withSupervisor } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

test('interval-tasks.json5: interval runs bounded by restarts; a task outliving its timeout is killed each time', async (t) => {
  const dir = new TempDir();
  // The fixture's task: record the start time, sleep, mark INTERRUPTED on SIGTERM/SIGINT.
  const task = dir.script('task.sh', 'SLEEP=${1:-1}\nFILE=${2:-/tmp/test}\ntrap "echo INTERRUPTED >> $FILE" INT TERM QUIT\ndate +%s.%N >> "$FILE"\nsleep "$SLEEP" &\nwait');
  const config = fixtureConfig(dir, 'interval-tasks.json5', {
    '/opt/fixture/task.sh': task,
    '/opt/fixture/': `${dir.path}/`,
  });
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  // restarts: "4" means the startup run plus 4 interval runs, then the task completes.
  for (const name of ['quick', 'bounded', 'overrun']) await cp.waitFor(`event: {Stopped ${name}}`, 20_000);
  await cp.until(() => dir.lines('endless.log').length >= 2, 'endless runs more than once (default restarts of an interval job: unlimited)', 10_000);
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
  assert.equal(dir.lines('quick.log').length, 5, dir.read('quick.log'));
  assert.equal(dir.lines('bounded.log').length, 5, dir.read('bounded.log'));
  assert.equal(cp.count(/(quick|bounded) timeout/), 0);
  assert.equal(dir.lines('overrun.log').length, 5);
  assert.equal(cp.count(/msg="overrun timeout after 120ms: '\[3 \S+overrun.log\]'"/), 5, cp.output);
  assert.equal(cp.count(/msg="overrun exited with error: signal: killed"/), 5);
});

test('an interval run still going at the next tick is not started twice', async (t) => {
  const dir = new TempDir();
  const log = `${dir.path}/runs`;
  const config = dir.config('cp.json5', `{ jobs: [
    { name: "slow", exec: ["sh", "-c", "echo start >> ${log}; sleep 0.35; echo end >> ${log}"], when: { interval: "100ms" }, timeout: "5s" },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  await cp.until(() => dir.lines('runs').filter((l) => l === 'end').length >= 3, 'three runs', 15_000);
  cp.signal('SIGTERM');
  await cp.waitExit();
  const lines = dir.lines('runs');
  lines.forEach((l, i) => assert.equal(l, i % 2 === 0 ? 'start' : 'end', `runs overlapped: ${lines.join(',')}`));
});

test('test_coprocess: restarts: 3 runs the job four times, then it completes and the app exits', async (t) => {
  const dir = new TempDir();
  const config = dir.config('cp.json5', `{ jobs: [
    { name: "coprocess", exec: ["sh", "-c", "echo coprocess-run; exit 1"], restarts: 3 },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  const exit = await cp.waitExit(30_000);
  assert.equal(cp.count(/coprocess-run$/), 4, cp.output);
  assert.equal(exit.code, 1, 'the exit code of its last run');
});

test('crash loop: every restart of a job exiting at once waits a doubling, jittered back-off (counted, not timed)', async (t) => {
  const dir = new TempDir();
  const runs = `${dir.path}/runs`;
  const config = dir.config('cp.json5', `{ logging: { level: "DEBUG" }, jobs: [
    { name: "crasher", exec: ["sh", "-c", "echo x >> ${runs}; exit 1"], restarts: "unlimited" },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  // Signal during the sixth back-off (1.6-3.2 s long), never while a run is going: a run
  // that has written its line may not have exited yet, and a SIGTERM then stops a running app
  // (exit 0), which is not what this test is about. The log line says the run has exited.
  const backOff = /crasher exited after \d+ms; restarting in (\d+)ms/;
  await cp.until(() => cp.count(backOff) >= 6, 'six runs, each exited and followed by a back-off', 30_000);
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 1, 'the app had failed before the signal');
  const delays = [...cp.output.matchAll(new RegExp(backOff, 'g'))].map((m) => Number(m[1]));
  const count = dir.lines('runs').length;
  // Each run was followed by a scheduled back-off (the last one cancelled by the stop): no
  // restart ever happened at once.
  assert.equal(delays.length, count, `${count} runs, ${delays.length} back-offs: ${delays.join(', ')}`);
  // The k-th consecutive quick exit waits 100 ms * 2^(k-1), jittered down to half of it.
  delays.slice(0, 5).forEach((d, k) => {
    const step = 100 * 2 ** k;
    assert.ok(d >= step / 2 && d <= step, `back-off ${k + 1}: ${d}ms, expected ${step / 2}-${step}ms (${delays.join(', ')})`);
  });
});
