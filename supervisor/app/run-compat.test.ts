/**
 * ContainerPilot scenarios that need no Consul to show their behaviour, on our fixtures
 * (supervisor/config/testdata/v3; discovery is not exercised here: a `consul` address is
 * accepted and the jobs run).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixtureConfig, TempDir, withSupervisor } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

test('failure-alarm.json5: a failing periodic task triggers its alarm job', async (t) => {
  const dir = new TempDir();
  const alarms = `${dir.path}/alarms`;
  const task = dir.script('task.sh', 'echo task-ran; exit 1');
  // The alarm posts to a webhook with curl; here a local script records the call instead.
  const curl = dir.script('curl', `echo "$@" >> ${alarms}`);
  const config = fixtureConfig(dir, 'failure-alarm.json5', { '/opt/jobs/rotate.sh': task, '/usr/bin/curl': curl });
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  await cp.until(() => dir.lines('alarms').length === 1, 'the alarm job ran');
  assert.match(dir.read('alarms'), /--fail -sS -X POST .*alerts\.example\.invalid\/hooks\/rotation/);
  assert.match(cp.output, /task-ran/);
  assert.match(cp.output, /rotate-logs exited with error: exit status 1/);
  cp.signal('SIGTERM');
  const exit = await cp.waitExit();
  assert.equal(exit.code, 1, 'rotate-logs, the main job, had failed before the signal');
});

test('child-env.json5: a job sees CONTAINERPILOT_PID and CONTAINERPILOT_<JOB>_PID of the running job', async (t) => {
  const dir = new TempDir();
  const cp = withSupervisor(t, dir, fixtureConfig(dir, 'child-env.json5'), { env: noEnv });
  // Its logging format is `default`: "<time> <line>".
  await cp.waitFor(/Z CONTAINERPILOT_HOLDER_PID=\d+$/m);
  const pid = /Z CONTAINERPILOT_HOLDER_PID=(\d+)$/m.exec(cp.output)![1]!;
  assert.equal(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), 'sleep\u000045\u0000', 'the variable names the running holder process');
  assert.match(cp.output, new RegExp(`Z CONTAINERPILOT_PID=${cp.pid}$`, 'm'));
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0);
});
