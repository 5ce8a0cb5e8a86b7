/** Which processes count as ours at the end of `autopilot run` (process/leftovers.ts). */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { descendants, lingeringGroups, noteExitedGroup } from './leftovers.js';
import type { ProcReader } from './reaper-proc.js';

/** A /proc of `pid -> [ppid, state]`, every process its own group. */
function fakeProc(table: Record<number, [number, string]>): ProcReader {
  return {
    list: () => [...Object.keys(table), 'self', 'meminfo'],
    read: (path) => {
      const pid = Number(path.split('/')[2]);
      const row = table[pid];
      return row ? `${pid} (p ${pid}) ${row[1]} ${row[0]} ${pid} ${pid} 0 -1 0 0 0 0 0 0 0 0 20 0 1 0 ${1000 + pid} 0 0\n` : null;
    },
  };
}

test('descendants: the whole tree below us, setsid or not, never zombies, never others', () => {
  const proc = fakeProc({ 1: [0, 'S'], 100: [1, 'S'], 101: [100, 'S'], 102: [101, 'S'], 103: [102, 'Z'], 104: [100, 'R'], 200: [1, 'S'], 201: [200, 'S'] });
  assert.deepEqual(descendants(100, proc).map((p) => p.pid).sort(), [101, 102, 104]);
  assert.deepEqual(descendants(300, proc), []);
});

test('noteExitedGroup remembers a group only while members remain', async () => {
  // A leader that leaves a member behind in its group, and one that leaves none.
  const leaver = spawn('sh', ['-c', 'sleep 30 & exit 0'], { detached: true, stdio: 'ignore' });
  const alone = spawn('true', [], { detached: true, stdio: 'ignore' });
  await Promise.all([leaver, alone].map((c) => new Promise((r) => c.once('exit', r))));
  noteExitedGroup(leaver.pid!);
  noteExitedGroup(alone.pid!);
  try {
    assert.deepEqual(lingeringGroups(), [leaver.pid]);
  } finally {
    process.kill(-leaver.pid!, 'SIGKILL');
  }
  // Gone once the orphan has been reaped by whichever init adopted it.
  for (let i = 0; i < 100 && lingeringGroups().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(lingeringGroups(), []);
});
