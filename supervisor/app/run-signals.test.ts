/**
 * SIGHUP and SIGUSR2 are event sources; SIGUSR1 reopens the log file (ContainerPilot v3).
 */
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureConfig, TempDir, withSupervisor } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

test('signals.json5: SIGHUP and SIGUSR2 start their jobs; the app keeps running', async (t) => {
  const dir = new TempDir();
  const cp = withSupervisor(t, dir, fixtureConfig(dir, 'signals.json5'), { env: noEnv });
  await cp.waitFor(/msg="app.Run start"/);
  await cp.waitFor(/event: \{Startup global\}/);
  cp.signal('SIGHUP');
  await cp.waitFor(/msg="'?hangup handled by hup-handler'?" job=hup-handler pid=\d+/);
  assert.doesNotMatch(cp.output, /job=usr2-handler/);
  cp.signal('SIGUSR2');
  await cp.waitFor(/msg="'?user signal 2 handled by usr2-handler'?" job=usr2-handler pid=\d+/);
  cp.signal('SIGHUP');
  await cp.until(() => cp.count(/hangup handled by hup-handler'?" job=hup-handler/) === 2, 'second SIGHUP run', 10_000);
  assert.equal(cp.count(/event: \{Stopped app\}/), 0, 'app still running');
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
});

test('SIGUSR1 reopens a log file moved away by logrotate', async (t) => {
  const dir = new TempDir();
  const logFile = join(dir.path, 'cp.log');
  const config = dir.config('cp.json5', `{ logging: { output: "${logFile}" }, jobs: [
    { name: "ticker", exec: ["sh", "-c", "echo tick"], when: { interval: "100ms" } },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  await cp.until(() => dir.read('cp.log').includes('tick'), 'first lines in the log file', 15_000);
  renameSync(logFile, join(dir.path, 'cp.log.1'));
  cp.signal('SIGUSR1');
  await cp.until(() => dir.read('cp.log').includes('tick'), 'lines in the reopened file', 15_000);
  assert.match(dir.read('cp.log.1'), /^\S+Z tick$/m);
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
  assert.equal(cp.stdout, '', 'nothing on stdout when logging to a file');
});
