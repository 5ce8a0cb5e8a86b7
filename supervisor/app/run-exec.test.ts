/**
 * `exec` on real processes: a string is split exactly as ContainerPilot v3 splits it (at every
 * space; quotes, `$` and `;` are plain characters: no shell), an array is passed as it is, and
 * every job runs in a process group of its own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Supervisor, TempDir, withSupervisor } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

/** Field 5 of /proc/<pid>/stat (after the parenthesised comm): the process group id. */
function pgidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

test('exec string: split at every space as ContainerPilot does; an array keeps its words; no shell', async (t) => {
  const dir = new TempDir();
  const args = dir.script('args', 'for a in "$@"; do echo "[$a]" >> "$OUT"; done; echo done >> "$OUT"');
  const config = dir.config('cp.json5', `{ jobs: [
    { name: "str", exec: "${args} 'two words'  \\"q\\" $HOME a;b" },
    { name: "arr", exec: ["${args}", "two words", "$HOME"], when: { source: "str", once: "exitSuccess" } },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: { ...noEnv, OUT: `${dir.path}/out` } });
  assert.equal((await cp.waitExit()).code, 0, cp.output);
  assert.deepEqual(dir.lines('out'), ["['two]", "[words']", '[]', '["q"]', '[$HOME]', '[a;b]', 'done', '[two words]', '[$HOME]', 'done']);
});

test('each job runs in its own process group, apart from the supervisor', async (t) => {
  const dir = new TempDir();
  const config = dir.config('cp.json5', `{ jobs: [
    { name: "one", exec: ["sh", "-c", "echo one-pid=$$; exec sleep 30"] },
    { name: "two", exec: ["sh", "-c", "echo two-pid=$$; exec sleep 30"] },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: noEnv });
  await cp.waitFor(/one-pid=\d+[\s\S]*two-pid=\d+|two-pid=\d+[\s\S]*one-pid=\d+/);
  const one = Number(/one-pid=(\d+)/.exec(cp.output)![1]);
  const two = Number(/two-pid=(\d+)/.exec(cp.output)![1]);
  assert.equal(pgidOf(one), one, 'job one leads its own group');
  assert.equal(pgidOf(two), two, 'job two leads its own group');
  assert.notEqual(pgidOf(cp.pid), one);
  assert.notEqual(pgidOf(cp.pid), two);
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
});
