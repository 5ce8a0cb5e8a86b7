/**
 * Two jobs of one name, as ContainerPilot 3.8 runs them: both run under a real `autopilot run`;
 * a reload keeps or replaces them together.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobConfig } from '../config/model.js';
import { Supervisor, TempDir, withSupervisor } from '../../testing/supervisor.js';
import { diffJobs } from './reload-diff.js';

test('duplicate job names: both jobs run, a warning says so, the supervisor ends when both have', async (t) => {
  const dir = new TempDir();
  const config = dir.config('cp.json5', `{ jobs: [
    { name: "a", exec: ["sh", "-c", "echo one >> ${dir.path}/runs"] },
    { name: "a", exec: ["sh", "-c", "sleep 0.3; echo two >> ${dir.path}/runs"] },
  ] }`);
  const cp = withSupervisor(t, dir, config, { env: { CONTAINERPILOT: undefined } });
  const exit = await cp.waitExit(15_000);
  assert.equal(exit.code, 0, cp.output);
  assert.deepEqual(dir.lines('runs'), ['one', 'two']);
  assert.match(cp.output, /jobs\[1\] \("a"\)\.name: duplicate job name "a" \(also jobs\[0\]\): both run/);
});

test('reload and duplicate names: the jobs of one name are kept, or stopped and started, together', () => {
  const job = (name: string, cmd: string) => ({ name, exec: [cmd] }) as unknown as JobConfig;
  const before = [job('a', 'one'), job('a', 'two'), job('b', 'b')];
  assert.deepEqual(diffJobs(before, [job('a', 'one'), job('a', 'two'), job('b', 'b')]), { stop: [], start: [], keep: ['a', 'b'] });
  const changed = diffJobs(before, [job('a', 'one'), job('a', 'three'), job('b', 'b')]);
  assert.deepEqual(changed.stop, ['a']);
  assert.deepEqual(changed.start.map((j) => j.exec), [['one'], ['three']]);
  assert.deepEqual(changed.keep, ['b']);
});
