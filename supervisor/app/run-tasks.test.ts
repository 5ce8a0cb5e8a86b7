/**
 * Interval tasks, timeouts, restart counts and crash-loop back-off (test_tasks, test_coprocess).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compatConfig, Supervisor, TempDir } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

test('test_tasks: interval runs bounded by restarts; a task outliving its timeout is killed each time', async (t) => {
  const dir = new TempDir();
  // ContainerPilot's task.sh: record the start time, sleep, mark INTERRUPTED on SIGTERM/SIGINT.
  const task = dir.script('task.sh', 'SLEEP=${1:-1}\nFILE=${2:-/tmp/test}\ntrap "echo INTERRUPTED >> $FILE" INT TERM QUIT\ndate +%s.%N >> "$FILE"\nsleep "$SLEEP" &\nwait');
  const config = compatConfig(dir, 'integration_tests__tests__test_tasks__containerpilot.json5', {
    '/task.sh': task,
    '/task1.txt': `${dir.path}/task1.txt`,
    '/task2.txt': `${dir.path}/task2.txt`,
    '/task3.txt': `${dir.path}/task3.txt`,
    '/task4.txt': `${dir.path}/task4.txt`,
  });
  const cp = new Supervisor(['run', '--config', config], { env: noEnv });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  // restarts: 5 means the startup run plus 5 interval runs, then the task completes.
  for (const name of ['task1', 'task2', 'task3']) await cp.waitFor(`event: {Stopped ${name}}`, 20_000);
  await cp.until(() => dir.lines('task4.txt').length >= 2, 'task4 runs more than once (default restarts of an interval job: unlimited)', 10_000);
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
  assert.equal(dir.lines('task1.txt').length, 6, dir.read('task1.txt'));
  assert.equal(dir.lines('task2.txt').length, 6, dir.read('task2.txt'));
  assert.equal(cp.count(/task[12] timeout/), 0);
  assert.equal(dir.lines('task3.txt').length, 6);
  assert.equal(cp.count(/msg="task3 timeout after 100ms: '\[2 \S+task3.txt\]'"/), 6, cp.output);
  assert.equal(cp.count(/msg="task3 exited with error: signal: killed"/), 6);
});

test('an interval run still going at the next tick is not started twice', async (t) => {
  const dir = new TempDir();
  const log = `${dir.path}/runs`;
  const config = dir.config('cp.json5', `{ jobs: [
    { name: "slow", exec: ["sh", "-c", "echo start >> ${log}; sleep 0.35; echo end >> ${log}"], when: { interval: "100ms" }, timeout: "5s" },
  ] }`);
  const cp = new Supervisor(['run', '--config', config], { env: noEnv });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
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
  const cp = new Supervisor(['run', '--config', config], { env: noEnv });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
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
  const cp = new Supervisor(['run', '--config', config], { env: noEnv });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  await cp.until(() => dir.lines('runs').length >= 6, 'six runs', 20_000);
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 1, 'the app had failed before the signal');
  const delays = [...cp.output.matchAll(/crasher exited after \d+ms; restarting in (\d+)ms/g)].map((m) => Number(m[1]));
  const count = dir.lines('runs').length;
  // Each run after the first was preceded by a scheduled back-off (the last one may have been
  // cancelled by the stop): no restart ever happened at once.
  assert.ok(delays.length === count - 1 || delays.length === count, `${count} runs, ${delays.length} back-offs: ${delays.join(', ')}`);
  // The k-th consecutive quick exit waits 100 ms * 2^(k-1), jittered down to half of it.
  delays.slice(0, 5).forEach((d, k) => {
    const step = 100 * 2 ** k;
    assert.ok(d >= step / 2 && d <= step, `back-off ${k + 1}: ${d}ms, expected ${step / 2}-${step}ms (${delays.join(', ')})`);
  });
});
