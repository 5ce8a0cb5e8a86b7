/**
 * Reload keeps unchanged jobs running, restarts changed ones, and serializes bursts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadConfigFile } from '../config/index.js';
import { Logger } from '../log/logger.js';
import { TempDir, until } from '../../testing/supervisor.js';
import { App } from './app.js';

/** Live child processes of this test process (the app runs in-process), by command name. */
function children(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && fields[0] !== 'Z') out.push(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
    } catch {
      // The process ended while we looked.
    }
  }
  return out.sort();
}

const openFds = () => readdirSync('/proc/self/fd').length;

function configText(changeArg: string, extra = ''): string {
  return `{ stopTimeout: 2, jobs: [
    { name: "keep", exec: ["sleep", "40"] },
    { name: "change", exec: ["sleep", "${changeArg}"] },
    ${extra}
  ] }`;
}

test('reload: unchanged jobs keep their process; changed, added and removed jobs are handled; a burst of 20 neither deadlocks nor leaks', async (t) => {
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

  await until(() => children().length === 3, 10_000, 'the replaced processes gone');
  const fdsBefore = openFds();
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
  // Nothing leaked: only keep and change run, and the 20 replaced processes left no pipes open.
  await until(() => children().length === 2, 10_000, 'only keep and change left running');
  assert.deepEqual(children(), ['sleep', 'sleep']);
  assert.ok(openFds() <= fdsBefore + 3, `open descriptors: ${fdsBefore} before the burst, ${openFds()} after`);

  dir.file('cp.json5', '{ jobs: [ { name: "x", restarts: "sometimes" } ] }');
  await assert.rejects(app.reload());
  assert.equal(job('keep')!.pid, keepPid, 'a bad config changes nothing');

  app.shutdown('SIGTERM');
  assert.equal(await running, 0);
});
