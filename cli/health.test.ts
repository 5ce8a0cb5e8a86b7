/** `autopilot health`, as Docker's HEALTHCHECK runs it, against a real running supervisor. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../testing/runtimes-process.js';
import { cliRuntime } from '../testing/runtimes.js';

const autopilot = (args: string[], env: Record<string, string> = {}) =>
  runCli(cliRuntime('node'), args, { env: { CONTAINERPILOT: '', ...env }, timeoutMs: 20_000 }).then(({ code, stdout, stderr }) => ({ code, stdout, stderr }));

describe('autopilot health', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ap-health-'));
  const config = join(dir, 'containerpilot.json5');
  const socket = join(dir, 'cp.sock');
  const [cmd, ...pre] = cliRuntime('node').argv;
  let supervisor: ReturnType<typeof spawn> | undefined;

  before(async () => {
    writeFileSync(config, `{ consul: "127.0.0.1:9", control: { socket: "${socket}" }, jobs: [
      { name: "app", exec: ["sleep", "60"], health: { exec: "true", interval: 1, ttl: 5 } },
      { name: "sick", exec: ["sleep", "60"], health: { exec: "false", interval: 1, ttl: 5 } },
      { name: "plain", exec: ["sleep", "60"] },
      { name: "done", exec: ["true"] },
    ] }\n`);
    supervisor = spawn(cmd!, [...pre, 'run', '--config', config], { stdio: 'ignore', env: { ...process.env, CONTAINERPILOT: '' } });
    // Until both checks have run once: app healthy, sick unhealthy (both start unknown).
    for (let i = 0; i < 100; i++) {
      const status = existsSync(socket) ? await autopilot(['status', '--json', '--socket', socket]) : undefined;
      const health = status?.code === 0 ? Object.fromEntries((JSON.parse(status.stdout) as { jobs: Array<{ name: string; health: string }> }).jobs.map((j) => [j.name, j.health])) : {};
      if (health['app'] === 'healthy' && health['sick'] === 'unhealthy') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the supervisor never reported app healthy and sick unhealthy');
  });
  after(async () => {
    if (supervisor && supervisor.exitCode === null) {
      const exited = new Promise((r) => supervisor!.once('exit', r));
      supervisor.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('every health-checked job must be healthy: one that fails makes the container unhealthy (exit 1)', async () => {
    assert.deepEqual(await autopilot(['health', '--config', config]), { code: 1, stdout: 'unhealthy: sick (unhealthy)\n', stderr: '' });
  });

  it('a named job: healthy when its check passes; without a check, while its process runs', async () => {
    assert.deepEqual(await autopilot(['health', 'app', '--config', config]), { code: 0, stdout: 'healthy: app\n', stderr: '' });
    assert.deepEqual(await autopilot(['health', 'plain', '--socket', socket]), { code: 0, stdout: 'healthy: plain\n', stderr: '' });
    assert.deepEqual(await autopilot(['health', 'done', '--socket', socket]), { code: 1, stdout: 'unhealthy: done (not running)\n', stderr: '' });
    assert.deepEqual(await autopilot(['health', 'app'], { CONTAINERPILOT: config }), { code: 0, stdout: 'healthy: app\n', stderr: '' }, 'finds the socket through $CONTAINERPILOT, as in an image');
  });

  it('an unknown job or no supervisor: a one-line error and exit 1 (unhealthy to Docker)', async () => {
    assert.deepEqual(await autopilot(['health', 'nope', '--config', config]), { code: 1, stdout: '', stderr: 'error: health: no job named "nope" (jobs: app, sick, plain, done)\n' });
    const none = await autopilot(['health', '--socket', join(dir, 'absent.sock')]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^error: cannot reach the control socket .*absent\.sock: no such socket \(is the supervisor running\?\)\n$/);
  });
});
