import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TempDir, sleep } from '../../testing/supervisor.js';
import { isTrackedChild } from './children.js';
import { spawnProcess } from './spawn.js';
import { startChild } from './start-child.js';
import { startChildBun } from './start-child-bun.js';
import { startChildNode } from './start-child-node.js';

test('argv is not run through a shell; output lines come with the pid; pid tracked until exit', async () => {
  const lines: Array<[string, number]> = [];
  const child = spawnProcess({ name: 't', argv: ['echo', '$HOME', 'a;b'], onLine: (l, pid) => lines.push([l, pid]) });
  assert.ok(child.pid && isTrackedChild(child.pid));
  const exit = await child.exited;
  assert.equal(exit.status, 0);
  assert.deepEqual(lines, [['$HOME a;b', child.pid]]);
  assert.equal(isTrackedChild(child.pid), false);
});

test('children see CONTAINERPILOT_PID and the pid variable of running jobs', async () => {
  const app = spawnProcess({ name: 'my-app', argv: ['sleep', '5'], jobPidName: 'my-app' });
  try {
    const lines: string[] = [];
    const env = spawnProcess({ name: 'env', argv: ['env'], onLine: (l) => lines.push(l) });
    await env.exited;
    assert.ok(lines.includes(`CONTAINERPILOT_PID=${process.pid}`));
    assert.ok(lines.includes(`CONTAINERPILOT_MY_APP_PID=${app.pid}`), lines.filter((l) => l.startsWith('CONTAINERPILOT')).join(','));
  } finally {
    app.signal('SIGKILL');
    await app.exited;
  }
  const after: string[] = [];
  await spawnProcess({ name: 'env', argv: ['env'], onLine: (l) => after.push(l) }).exited;
  assert.equal(after.some((l) => l.startsWith('CONTAINERPILOT_MY_APP_PID=')), false);
});

test('the timeout SIGKILLs the whole process group, grandchildren included', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const marker = `${dir.path}/grandchild-alive`;
  // The grandchild would write the marker after 1 s unless killed with its group.
  const script = dir.script('tree.sh', `(sleep 1; echo alive > ${marker}) &\nsleep 30`);
  const warnings: string[] = [];
  const child = spawnProcess({ name: 'task3', argv: [script, 'x'], timeoutMs: 150, onTimeout: (m) => warnings.push(m) });
  const exit = await child.exited;
  assert.equal(exit.timedOut, true);
  assert.equal(exit.signal, 'SIGKILL');
  assert.equal(exit.status, 137);
  assert.deepEqual(warnings, [`task3 timeout after 150ms: '[x]'`]);
  await sleep(1300);
  assert.equal(dir.read('grandchild-alive'), '', 'grandchild was killed with the group');
});

test('a command that cannot start: 127 when not found, 126 when not executable, said as a shell says it', async () => {
  const missing = await spawnProcess({ name: 'nope', argv: ['/nonexistent/cmd'] }).exited;
  assert.equal(missing.status, 127);
  assert.equal(missing.startError, 'executable not found: /nonexistent/cmd');
  const dir = new TempDir();
  try {
    const plain = dir.file('plain.txt', 'not a program\n', 0o644);
    const denied = await spawnProcess({ name: 'plain', argv: [plain] }).exited;
    assert.equal(denied.status, 126);
    assert.equal(denied.startError, `not executable: ${plain} (permission denied)`);
  } finally {
    dir.dispose();
  }
});

test("children start through the runtime's own spawn path: Bun.spawn on Bun, node:child_process elsewhere", () => {
  assert.equal(startChild, 'Bun' in globalThis ? startChildBun : startChildNode);
});

test('a character split across two writes of the child is logged whole', async () => {
  const lines: string[] = [];
  // é is C3 A9 in UTF-8: the two bytes arrive in two reads, 100 ms apart.
  const child = spawnProcess({ name: 'utf8', argv: ['sh', '-c', "printf 'caf\\303'; sleep 0.1; printf '\\251\\n'"], onLine: (l) => lines.push(l) });
  assert.equal((await child.exited).status, 0);
  assert.deepEqual(lines, ['café']);
});
