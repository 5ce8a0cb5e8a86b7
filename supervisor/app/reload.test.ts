/**
 * Reload keeps unchanged jobs running, restarts changed ones, and serializes bursts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigFile } from '../config/index.js';
import { Logger } from '../log/logger.js';
import { TempDir, until } from '../../testing/supervisor.js';
import { App } from './app.js';

function configText(changeArg: string, extra = ''): string {
  return `{ stopTimeout: 2, jobs: [
    { name: "keep", exec: ["sleep", "40"] },
    { name: "change", exec: ["sleep", "${changeArg}"] },
    ${extra}
  ] }`;
}

test('reload: unchanged jobs keep their process; changed, added and removed jobs are handled; a burst of 20 does not deadlock', async (t) => {
  const dir = new TempDir();
  const path = dir.file('cp.json5', configText('41', '{ name: "doomed", exec: ["sleep", "42"] },'));
  const lines: string[] = [];
  const logger = new Logger({ level: 'INFO', format: 'default', output: 'stdout' }, { sink: { write: (l) => lines.push(l), reopen() {}, close() {} } });
  const load = () => loadConfigFile(path, { ...process.env });
  const app = new App({ config: load(), loadConfig: load, installSignals: false, logger });
  const running = app.run();
  t.after(async () => {
    app.shutdown('SIGTERM');
    await running;
    dir.dispose();
  });
  const job = (name: string) => app.jobs.get(name);
  await until(() => ['keep', 'change', 'doomed'].every((n) => job(n)?.pid !== undefined), 10_000, 'jobs running');
  const keepPid = job('keep')!.pid;
  const changePid = job('change')!.pid;

  dir.file('cp.json5', configText('43', '{ name: "added", exec: ["sleep", "44"] },'));
  await app.reload();
  await until(() => job('added')?.pid !== undefined && job('change')?.pid !== undefined, 10_000, 'new processes');
  assert.equal(job('keep')!.pid, keepPid, 'unchanged job kept running');
  assert.notEqual(job('change')!.pid, changePid, 'changed job restarted');
  assert.deepEqual(job('change')!.config.exec, ['sleep', '43']);
  assert.equal(job('doomed'), undefined, 'removed job is gone');

  const burst: Promise<void>[] = [];
  for (let i = 0; i < 20; i++) {
    dir.file('cp.json5', configText(String(50 + i)));
    burst.push(app.reload());
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('reload burst did not settle')), 30_000)));
  await Promise.race([Promise.all(burst), deadline]).finally(() => clearTimeout(timer));
  await until(() => job('change')?.pid !== undefined, 10_000, 'change running after the burst');
  assert.deepEqual(job('change')!.config.exec, ['sleep', '69'], 'the last config written wins');
  assert.equal(job('keep')!.pid, keepPid, 'still the same process after 21 reloads');
  assert.equal(job('added'), undefined);

  dir.file('cp.json5', '{ jobs: [ { name: "x", restarts: "sometimes" } ] }');
  await assert.rejects(app.reload());
  assert.equal(job('keep')!.pid, keepPid, 'a bad config changes nothing');

  app.shutdown('SIGTERM');
  assert.equal(await running, 0);
});
