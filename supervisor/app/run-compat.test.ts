/**
 * ContainerPilot's own configs that need no Consul to show their behaviour (discovery is not
 * exercised here: a `consul` address is accepted and the jobs run).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compatConfig, Supervisor, TempDir } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

test('docs periodic-tasks: a failing periodic task triggers its alarm job', async (t) => {
  const dir = new TempDir();
  const alarms = `${dir.path}/alarms`;
  const task = dir.script('task.sh', 'echo task-ran; exit 1');
  // The alarm posts to Slack with curl; here a local script records the call instead.
  const curl = dir.script('curl', `echo "$@" >> ${alarms}`);
  const config = compatConfig(dir, 'docs__30-configuration__examples__periodic-tasks.json5', { '/bin/run/some/task.sh': task, '/usr/bin/curl': curl });
  const cp = new Supervisor(['run', '--config', config], { env: noEnv });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  await cp.until(() => dir.lines('alarms').length === 1, 'the alarm job ran');
  assert.match(dir.read('alarms'), /--fail -sL -XPOST .*hooks\.slack\.com/);
  assert.match(cp.output, /task-ran/);
  assert.match(cp.output, /task1 exited with error: exit status 1/);
  cp.signal('SIGTERM');
  const exit = await cp.waitExit();
  assert.equal(exit.code, 1, 'task1, the main job, had failed before the signal');
});

test('test_envvars: a job sees CONTAINERPILOT_PID and CONTAINERPILOT_<JOB>_PID of the running job', async (t) => {
  const dir = new TempDir();
  const cp = new Supervisor(['run', '--config', compatConfig(dir, 'integration_tests__tests__test_envvars__containerpilot.json5')], { env: noEnv });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  // Its logging format is `default`: "<time> <line>".
  await cp.waitFor(/Z CONTAINERPILOT_TESTPID_PID=\d+$/m);
  const pid = /Z CONTAINERPILOT_TESTPID_PID=(\d+)$/m.exec(cp.output)![1]!;
  assert.equal(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), 'sleep\u000030\u0000', 'the variable names the running testpid process');
  assert.match(cp.output, new RegExp(`Z CONTAINERPILOT_PID=${cp.pid}$`, 'm'));
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0);
});
