/**
 * `autopilot run` as PID 1 of a fresh pid namespace (`unshare --pid --fork --mount-proc`) on Node,
 * Bun, Deno and the single-file binary: a health check leaves orphans behind, which die as
 * zombies under PID 1; the supervisor must reap them, keep its jobs' exit statuses, and stop on
 * SIGTERM (a PID 1 ignores signals it has no handler for). Watched from outside the namespace
 * through the host's /proc. A control run with the reaper switched off shows the zombies stay.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { supervise } from './runtimes-process.js';
import { cliRuntime, RUNTIME_NAMES, type RuntimeName } from './runtimes.js';
import { sleep, TempDir, until, type Supervisor } from './supervisor.js';

const ROUNDS = 3;
const ORPHANS_PER_ROUND = 2;

/** pid, state and parent of every process the host can see. */
function processes(): { pid: number; state: string; ppid: number }[] {
  const out: { pid: number; state: string; ppid: number }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), state: state!, ppid: Number(ppid) });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return out;
}

const zombieChildren = (pid: number): number => processes().filter((p) => p.ppid === pid && p.state === 'Z').length;

function config(dir: TempDir): string {
  // Each of the first ROUNDS checks starts two sleeps in the background and exits: the sleeps
  // are orphaned, reparented to PID 1, and die as its zombies.
  const check = dir.script('zombie-maker.sh', `n=$(cat ${dir.path}/rounds 2>/dev/null || echo 0)
if [ "$n" -lt ${ROUNDS} ]; then
  echo $((n + 1)) > ${dir.path}/rounds
  sh -c 'sleep 0.2 & sleep 0.3 & exit 0'
  echo "zombies made: round $((n + 1))"
fi`);
  return dir.config('cp.json5', `{
  jobs: [
    { name: "app", exec: ["sh", "-c", "echo pid1=$CONTAINERPILOT_PID; exec sleep 60"], health: { exec: ["${check}"], interval: 1, ttl: 5 } },
    { name: "exits-7", exec: ["sh", "-c", "exit 7"] },
    { name: "after-exit", exec: ["sh", "-c", "echo 'exit status seen'"], when: { source: "exits-7", once: "exitFailed" } },
  ],
}
`);
}

/** Starts the supervisor as PID 1; resolves with its host pid once the app runs. */
async function startAsPid1(name: RuntimeName, dir: TempDir, env: Record<string, string> = {}): Promise<{ cp: Supervisor; init: number }> {
  const wrap = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child'];
  const cp = supervise(cliRuntime(name), ['run', '--config', config(dir)], { wrap, env: { CONTAINERPILOT: undefined, ...env } });
  await cp.waitFor('pid1=1');
  const init = processes().find((p) => p.ppid === cp.pid)?.pid;
  assert.ok(init, `the namespace's PID 1 (child of unshare ${cp.pid})`);
  return { cp, init };
}

for (const name of RUNTIME_NAMES) {
  describe(name, () => {
    it('reaps orphaned zombies as PID 1, keeps its own exit statuses, stops on SIGTERM', async (t) => {
      const dir = new TempDir();
      const { cp, init } = await startAsPid1(name, dir);
      t.after(async () => {
        await cp.dispose();
        dir.dispose();
      });
      await cp.waitFor('exit status seen');
      let most = 0;
      await until(() => {
        most = Math.max(most, zombieChildren(init));
        return cp.count(/zombies made: round \d/) === ROUNDS;
      }, 30_000, `${ROUNDS} rounds of zombies; output:\n${cp.output}`);
      // Every orphan is eventually reaped (the reaper waits a grace period before reaping).
      await until(() => {
        most = Math.max(most, zombieChildren(init));
        return zombieChildren(init) === 0 && dir.read('rounds').trim() === String(ROUNDS) && most > 0;
      }, 30_000, `no zombie left under PID 1 (most seen: ${most}); output:\n${cp.output}`);
      assert.ok(most > 0, 'zombies did appear before being reaped');

      process.kill(init, 'SIGTERM');
      const exit = await cp.waitExit(30_000);
      assert.deepEqual(exit, { code: 0, signal: null }, cp.output);
      assert.doesNotMatch(cp.output, /ECHILD|No child processes|internal error/);
    });
  });
}

describe('control', () => {
  it('with the reaper off (AUTOPILOT_REAP_ZOMBIES=0) the zombies stay', async (t) => {
    const dir = new TempDir();
    const { cp, init } = await startAsPid1('binary', dir, { AUTOPILOT_REAP_ZOMBIES: '0' });
    t.after(async () => {
      await cp.dispose();
      dir.dispose();
    });
    await until(() => zombieChildren(init) >= ROUNDS * ORPHANS_PER_ROUND, 30_000, `all orphans as zombies; output:\n${cp.output}`);
    await sleep(3000); // longer than the reaper's grace period: nothing takes them
    assert.equal(zombieChildren(init), ROUNDS * ORPHANS_PER_ROUND);
  });
});
