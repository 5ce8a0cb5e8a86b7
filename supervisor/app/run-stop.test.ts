/**
 * `autopilot run` stop sequence and exit codes, with the real CLI and real processes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath, repoRoot } from '../../testing/paths.js';
import { fixtureConfig, Supervisor, TempDir, withSupervisor } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

function lineIndex(out: string, re: RegExp): number {
  return out.split('\n').findIndex((l) => re.test(l));
}

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  test(`stop-hooks.json5: ${sig} runs preStop, stops the app, then postStop; exit 0`, async (t) => {
    const dir = new TempDir();
    const cp = withSupervisor(t, dir, fixtureConfig(dir, 'stop-hooks.json5'), { env: noEnv });
    await cp.waitFor(/msg="app.Run start"/);
    cp.signal(sig);
    const exit = await cp.waitExit();
    assert.equal(exit.code, 0, cp.output);
    const pre = lineIndex(cp.output, /level=info msg="'?before-stop hook saw the app stopping'?" job=preStop pid=\d+/);
    const post = lineIndex(cp.output, /level=info msg="'?after-stop hook saw the app stopped'?" job=postStop pid=\d+/);
    assert.ok(pre >= 0 && post > pre, cp.output);
    const shutdown = lineIndex(cp.output, /event: \{Shutdown global\}/);
    const stopping = lineIndex(cp.output, /event: \{Stopping app\}/);
    const stopped = lineIndex(cp.output, /event: \{Stopped app\}/);
    assert.ok(shutdown >= 0 && shutdown < stopping && stopping < pre && pre < stopped && stopped < post, cp.output);
  });
}

test('a preStop that hangs is bounded by the job stopTimeout: the app is still stopped, postStop runs, the hook is stopped too', async (t) => {
  const dir = new TempDir();
  const order = `${dir.path}/order`;
  const config = dir.config('cp.json5', `{ stopTimeout: 60, jobs: [
    { name: "app", stopTimeout: "300ms", exec: ["sh", "-c", "trap 'echo app-term >> ${order}; exit 0' TERM; echo app-up; while :; do sleep 0.05; done"] },
    { name: "preStop", exec: ["sh", "-c", "echo prestop-hangs >> ${order}; exec sleep 60"], when: { source: "app", once: "stopping" } },
    { name: "postStop", exec: ["sh", "-c", "echo poststop >> ${order}"], when: { source: "app", once: "stopped" } },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  await cp.waitFor('app-up');
  cp.signal('SIGTERM');
  // The global stopTimeout is 60 s: only the job's 300 ms can have ended the wait for the hook.
  const exit = await cp.waitExit(20_000);
  assert.equal(exit.code, 0, cp.output);
  assert.deepEqual(dir.lines('order'), ['prestop-hangs', 'app-term', 'poststop']);
  assert.match(cp.output, /preStop stopped \(SIGTERM\)/);
  assert.match(cp.output, /app: stopping hooks preStop still running after 300ms; stopping them and continuing/);
});

test('misspelled-hooks.json5 (a documentation-style stop sequence): hooks run around the app in order, app gets SIGTERM', async (t) => {
  const dir = new TempDir();
  const order = `${dir.path}/order`;
  const app = dir.script('app', `trap 'echo app-term >> ${order}; exit 0' TERM\necho app-up >> ${order}\necho app-up\nwhile :; do sleep 0.05; done`);
  const pre = dir.script('pre', `echo prestop >> ${order}`);
  const post = dir.script('post', `echo poststop >> ${order}`);
  const config = fixtureConfig(dir, 'misspelled-hooks.json5', {
    '/opt/web/run': app,
    '/opt/web/before-stop.sh': pre,
    '/opt/web/after-stop.sh': post,
    '/usr/bin/curl --fail -s -o /dev/null http://localhost:8080/ready': 'true',
  });
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  await cp.waitFor('app-up');
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
  assert.deepEqual(dir.lines('order'), ['app-up', 'prestop', 'app-term', 'poststop']);
});

test('a stop finishes as soon as the jobs have stopped (no wait for stopTimeout)', async (t) => {
  const dir = new TempDir();
  const config = dir.config('cp.json5', `{ stopTimeout: 60, jobs: [
    { name: "app", exec: ["sh", "-c", "echo ready; exec sleep 50"] },
    { name: "worker", exec: ["sleep", "50"] },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  await cp.waitFor('ready');
  cp.signal('SIGTERM');
  // Well under the 60 s stopTimeout: nothing sleeps a fixed time.
  assert.equal((await cp.waitExit(20_000)).code, 0);
});

test('a job that ignores SIGTERM is killed after the global stopTimeout', async (t) => {
  const dir = new TempDir();
  const config = dir.config('cp.json5', `{ stopTimeout: "500ms", jobs: [
    { name: "stubborn", exec: ["sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"] },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  await cp.waitFor('ready');
  cp.signal('SIGTERM');
  const exit = await cp.waitExit(15_000);
  assert.equal(exit.code, 0);
  assert.match(cp.output, /stubborn did not stop within 500ms of SIGTERM; killing it/);
});

test('exit code: the main job exit code when all jobs complete on their own', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const plain = dir.file('plain.txt', 'not a program\n', 0o644);
  const cases: Array<[string, number]> = [
    // the application a preparation step prepares is main; a failed prep never let it run: 1
    [`{ jobs: [ { name: "prep", exec: ["sh", "-c", "exit 9"] },
      { name: "app", exec: "true", when: { source: "prep", once: "exitSuccess", timeout: "300ms" } } ] }`, 1],
    // ... and when it runs, its code is the exit code (not the preStart's, nor a stop hook's)
    [`{ jobs: [ { name: "preStart", exec: "true" }, { name: "postStop", exec: "true", when: { source: "app", once: "stopped" } },
      { name: "app", exec: ["sh", "-c", "exit 6"], when: { source: "preStart", once: "exitSuccess" } } ] }`, 6],
    // the startup job nobody waits on
    [`{ jobs: [ { name: "preStart", exec: "true" }, { name: "next", exec: ["sh", "-c", "exit 0"], when: { source: "preStart", once: "exitSuccess" } },
      { name: "main", exec: ["sh", "-c", "exit 5"] } ] }`, 5],
    [`{ jobs: [ { name: "killed", exec: ["sh", "-c", "kill -KILL $$"] } ] }`, 137],
    [`{ jobs: [ { name: "missing", exec: "/nonexistent/binary" } ] }`, 127],
    // found but not executable: 126, as a shell answers
    [`{ jobs: [ { name: "denied", exec: "${plain}" } ] }`, 126],
  ];
  for (const [text, code] of cases) {
    const cp = new Supervisor(['run', '--config', dir.config('cp.json5', text)], { env: noEnv });
    const exit = await cp.waitExit().finally(() => cp.dispose());
    assert.equal(exit.code, code, `${text}\n${cp.output}`);
  }
});

test('exit code after SIGTERM: 0, unless the main job had already failed', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const failed = dir.config('failed.json5', `{ jobs: [
    { name: "app", exec: ["sh", "-c", "echo app-failing; exit 4"] },
    { name: "sidecar", exec: ["sh", "-c", "echo sidecar-up; exec sleep 30"], when: { source: "app", once: "exitFailed" } },
  ] }`);
  const cp = new Supervisor(['run', '--config', failed], { env: noEnv });
  t.after(() => cp.dispose());
  await cp.waitFor('sidecar-up');
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 4, cp.output);

  const healthy = dir.config('ok.json5', `{ jobs: [ { name: "app", exec: ["sh", "-c", "echo up; exec sleep 30"] } ] }`);
  const cp2 = new Supervisor(['run', '--config', healthy], { env: noEnv });
  t.after(() => cp2.dispose());
  await cp2.waitFor('up');
  cp2.signal('SIGINT');
  assert.equal((await cp2.waitExit()).code, 0, cp2.output);
});

test('the exit code rule is documented the same way in `autopilot run --help` and supervisor/jobs/README.md', () => {
  const help = spawnSync(process.execPath, [cliPath, 'run', '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(help.status, 0, help.stderr);
  const readme = readFileSync(join(repoRoot, 'supervisor', 'jobs', 'README.md'), 'utf8');
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  for (const clause of [
    'ContainerPilot always exits 0',
    'the first job with an exec and a port',
    'not a preparation step',
    'like a preStart',
    '128+N if killed by signal N',
    '127 if it could not start',
    '1 if it never ran',
    'unless the main job had already failed',
    'the command\'s own exit code',
    'with an exec: 0',
  ]) {
    assert.ok(flat(help.stdout).includes(clause), `run --help lacks "${clause}":\n${help.stdout}`);
    assert.ok(flat(readme).replace(/`/g, '').includes(clause), `supervisor/jobs/README.md lacks "${clause}"`);
  }
});

test('a stop by signal is logged as a stop, not an error; a job killed by a signal the supervisor did not send still is an error', async (t) => {
  const dir = new TempDir();
  const config = dir.config('cp.json5', `{ jobs: [
    { name: "sleeper", exec: ["sleep", "60"] },
    { name: "shot", exec: ["sh", "-c", "kill -TERM $$"], restarts: "never" },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  await cp.waitFor('shot exited with error: signal: terminated');
  cp.signal('SIGINT');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
  assert.match(cp.output, /sleeper stopped \(SIGTERM\)/);
  assert.doesNotMatch(cp.output, /sleeper exited with error/);
});
