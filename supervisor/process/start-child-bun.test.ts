// On Bun, children start through Bun.spawn (start-child-bun.ts), not node:child_process. The
// spawn, job and health-check tests hold for that path too: run them under Bun's test runner
// and require every one of them to pass there.
import { test } from 'node:test';
import { assertPassUnderBun } from '../../testing/bun-test.js';

test('under Bun, the spawn, job and health-check tests pass with Bun.spawn underneath', () => {
  assertPassUnderBun(['supervisor/process/spawn.test.js', 'supervisor/jobs/job.test.js', 'supervisor/jobs/check.test.js']);
});
