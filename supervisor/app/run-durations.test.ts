/**
 * Durations beyond the runtimes' timer limit (2^31-1 ms, about 24.8 days) under a real
 * `autopilot run`: each used to fire after 1 ms (a hot interval loop, an immediate timeout
 * SIGKILL, a SIGKILL right after SIGTERM, a health check that never pauses). The boundaries
 * themselves are covered without sleeping in supervisor/timers/timers.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { cliRuntime, RUNTIME_NAMES } from '../../testing/runtimes.js';
import { sleep, Supervisor, TempDir, withSupervisor } from '../../testing/supervisor.js';

/** `autopilot run` on `config` (on the runtime `argv`), stopped and cleaned up after the test. */
function run(t: TestContext, dir: TempDir, config: string, argv: readonly string[]): Supervisor {
  return withSupervisor(t, dir, config, { env: { CONTAINERPILOT: undefined }, argv });
}

// Each runtime (and the single-file binary) has the same 2^31-1 ms limit.
for (const name of RUNTIME_NAMES) {
  describe(name, () => {
    const argv = cliRuntime(name).argv;

    test('interval "720h", a "600h" when-timeout and a 3000000 s health interval: each waits, none fires early', async (t) => {
      const dir = new TempDir();
      const d = dir.path;
      const config = dir.config('cp.json5', `{ jobs: [
        { name: "tick", exec: ["sh", "-c", "echo run >> ${d}/ticks"], when: { interval: "720h" } },
        { name: "app", exec: ["sh", "-c", "echo app-up; exec sleep 100"],
          health: { exec: ["sh", "-c", "echo check >> ${d}/checks"], interval: 3000000, ttl: 10 } },
        { name: "waiter", exec: ["sh", "-c", "echo waited >> ${d}/waited"], when: { source: "app", once: "healthy", timeout: "600h" } },
      ] }`);
      const cp = run(t, dir, config, argv);
      await cp.waitFor('app-up');
      await sleep(2_000);
      const ticks = dir.lines('ticks').length;
      const checks = dir.lines('checks').length;
      console.log(`${name}: after 2 s: interval job ran ${ticks} time(s), health check ran ${checks} time(s)`);
      assert.equal(ticks, 1, `the interval job ran ${ticks} times in 2 s (hot loop)\n${cp.output.slice(-2000)}`);
      assert.equal(checks, 0, `the health check ran ${checks} times in 2 s`);
      assert.doesNotMatch(cp.output, /TimerExpired|timerExpired/);
      assert.deepEqual(dir.lines('waited'), []);
      cp.signal('SIGTERM');
      assert.equal((await cp.waitExit(10_000)).code, 0, cp.output);
    });

    test('timeout "600h": a run of 1.5 s is not killed; it ends by itself with exit 0', async (t) => {
      const dir = new TempDir();
      const config = dir.config('cp.json5', `{ jobs: [
        { name: "app", exec: ["sh", "-c", "echo up; sleep 1.5; echo survived"], timeout: "600h" },
      ] }`);
      const cp = run(t, dir, config, argv);
      const exit = await cp.waitExit(15_000);
      assert.equal(exit.code, 0, cp.output);
      assert.match(cp.output, /survived/);
      assert.doesNotMatch(cp.output, /timeout after/);
    });

    test('stopTimeout "720h": a job that takes 1 s to exit on SIGTERM exits by itself, it is not SIGKILLed', async (t) => {
      const dir = new TempDir();
      const config = dir.config('cp.json5', `{ stopTimeout: "720h", jobs: [
        { name: "app", stopTimeout: "720h", exec: ["sh", "-c", "trap 'sleep 1; echo clean-exit; exit 0' TERM; echo app-up; while :; do sleep 0.05; done"] },
      ] }`);
      const cp = run(t, dir, config, argv);
      await cp.waitFor('app-up');
      const began = Date.now();
      cp.signal('SIGTERM');
      const exit = await cp.waitExit(15_000);
      const took = Date.now() - began;
      console.log(`${name}: stopTimeout 720h: stopped in ${took} ms`);
      assert.equal(exit.code, 0, cp.output);
      assert.match(cp.output, /clean-exit/);
      assert.doesNotMatch(cp.output, /killing|did not stop/);
      assert.ok(took >= 900, `stopped after ${took} ms: the job was not given its time`);
    });
  });
}
