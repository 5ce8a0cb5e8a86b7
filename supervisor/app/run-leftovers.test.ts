/**
 * Nothing `autopilot run` started outlives it: an exec health check still running when the
 * supervisor stops, a hook's background child left in its process group, a long-running hook,
 * a daemon that called setsid (its parent still alive at the stop; or orphaned, which only a
 * child subreaper sees). Each writes its pid; after the supervisor exits, the pid must be gone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { cliRuntime, type RuntimeName } from '../../testing/runtimes.js';
import { sleep, Supervisor, TempDir, withSupervisor } from '../../testing/supervisor.js';

/** Running, not a zombie (a killed orphan may wait for an init that does not reap). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function pidFrom(cp: Supervisor, dir: TempDir, name: string): Promise<number> {
  await cp.until(() => /^\d+$/.test(dir.read(name).trim()), `${name} written`);
  return Number(dir.read(name).trim());
}

/** Runs `config`, waits for the pid files, stops it with SIGTERM; returns the pids still alive. */
async function survivorsOfStop(
  t: TestContext,
  jobs: string,
  pidFiles: string[],
  env: Record<string, string> = {},
  argv?: readonly string[],
): Promise<{ left: number[]; cp: Supervisor }> {
  const dir = new TempDir();
  const config = dir.config('cp.json5', `{ jobs: ${jobs.split('$DIR').join(dir.path)} }`);
  const cp = new Supervisor(['run', '--config', config], { env: { CONTAINERPILOT: undefined, ...env }, argv });
  const pids: number[] = [];
  t.after(async () => {
    await cp.dispose();
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    dir.dispose();
  });
  for (const name of pidFiles) pids.push(await pidFrom(cp, dir, name));
  assert.ok(pids.every(alive), 'every process is running before the stop');
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit(20_000)).code, 0, cp.output);
  for (let i = 0; i < 20 && pids.some(alive); i++) await sleep(50);
  return { left: pids.filter(alive), cp };
}

test('an exec health check still running when the supervisor stops is killed with its group', async (t) => {
  const { left, cp } = await survivorsOfStop(
    t,
    `[{ name: "app", exec: ["sleep", "100"],
        health: { exec: ["sh", "-c", "echo $$ > $DIR/check.pid; exec sleep 100"], interval: 1, timeout: 600, ttl: 10 } }]`,
    ['check.pid'],
  );
  assert.deepEqual(left, [], cp.output);
});

test('a long-running hook and a hook that left a child in the background: neither outlives the supervisor', async (t) => {
  const { left, cp } = await survivorsOfStop(
    t,
    `[{ name: "app", exec: ["sh", "-c", "echo app-up; exec sleep 100"] },
      { name: "setup", exec: ["sh", "-c", "sleep 100 & echo $! > $DIR/background.pid"] },
      { name: "hook", exec: ["sh", "-c", "echo $$ > $DIR/hook.pid; exec sleep 100"], when: { source: "setup", once: "exitSuccess" } }]`,
    ['background.pid', 'hook.pid'],
  );
  assert.deepEqual(left, [], cp.output);
  assert.match(cp.output, /killed process groups? \d+.*still running after the stop/);
});

test('a setsid daemon whose parent job is stopped does not outlive the supervisor', async (t) => {
  const { left, cp } = await survivorsOfStop(t, `[{ name: "app", exec: ["sh", "-c", "setsid sleep 100 & echo $! > $DIR/daemon.pid; exec sleep 100"] }]`, ['daemon.pid']);
  assert.deepEqual(left, [], cp.output);
});

test('as a child subreaper (AUTOPILOT_REAP_ZOMBIES=1), an orphaned setsid daemon of a hook that exited is killed too', async (t) => {
  const { left, cp } = await survivorsOfStop(
    t,
    `[{ name: "app", exec: ["sleep", "100"] },
      { name: "setup", exec: ["sh", "-c", "setsid sleep 100 & echo $! > $DIR/orphan.pid"] }]`,
    ['orphan.pid'],
    { AUTOPILOT_REAP_ZOMBIES: '1' },
  );
  assert.deepEqual(left, [], cp.output);
});

test('an exec health check still running when its job completes is killed at once, while the supervisor runs on', async (t) => {
  const dir = new TempDir();
  const config = dir.config('cp.json5', `{ jobs: [
    { name: "keeper", exec: ["sleep", "100"] },
    { name: "short", exec: ["sleep", "2"], restarts: "never",
      health: { exec: ["sh", "-c", "echo $$ > ${dir.path}/check.pid; exec sleep 100"], interval: 1, timeout: 600, ttl: 10 } },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: { CONTAINERPILOT: undefined } });
  const pid = await pidFrom(cp, dir, 'check.pid');
  t.after(() => void (alive(pid) && process.kill(pid, 'SIGKILL')));
  await cp.until(() => !alive(pid), 'the check killed when its job completed', 8_000);
  assert.equal(cp.child.exitCode, null, 'the supervisor still runs');
});

for (const name of ['bun', 'deno', 'binary'] as RuntimeName[]) {
  test(`${name}: a health check, a hook's background child and a setsid daemon do not outlive the supervisor`, async (t) => {
    const { left, cp } = await survivorsOfStop(
      t,
      `[{ name: "app", exec: ["sh", "-c", "setsid sleep 100 & echo $! > $DIR/daemon.pid; exec sleep 100"],
          health: { exec: ["sh", "-c", "echo $$ > $DIR/check.pid; exec sleep 100"], interval: 1, timeout: 600, ttl: 10 } },
        { name: "setup", exec: ["sh", "-c", "sleep 100 & echo $! > $DIR/background.pid"] }]`,
      ['daemon.pid', 'check.pid', 'background.pid'],
      {},
      cliRuntime(name).argv,
    );
    assert.deepEqual(left, [], cp.output);
  });
}
