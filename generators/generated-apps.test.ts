/**
 * The generated applications run for real: hello/world answer their word and hostname
 * (todo-api-app.test.ts runs the todo API against a real Consul).
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBlueprint } from '../blueprints/index.js';
import { get, startApp, stop } from './app-process.test.js';
import { memReader, opsToFiles, tempDir, writeOps, released } from './helpers.test.js';
import { planAddService } from './plan-add.js';
import { planNew } from './plan-new.js';

test('hello, world and an added service answer their word and hostname, and stop on SIGTERM', async (t) => {
  const dir = tempDir(t);
  const files = opsToFiles(planNew({ blueprint: findBlueprint('hello-world')!, project: 'p', supervisor: released('1.2.3') }));
  writeOps(dir, [...planNew({ blueprint: findBlueprint('hello-world')!, project: 'p', supervisor: released('1.2.3') }), ...planAddService(memReader(files), { name: 'billing', port: 3003, supervisor: released('1'), project: 'p' }).ops]);
  for (const [svc, word] of [['hello', 'Hello'], ['world', 'World'], ['billing', 'Billing']] as const) {
    const app = await startApp(t, join(dir, svc, 'index.js'), {});
    assert.deepEqual(await get(app.port, '/'), { status: 200, text: `${word} from ${hostname()}\n` });
    assert.deepEqual(await get(app.port, '/anything/else'), { status: 200, text: `${word} from ${hostname()}\n` });
    assert.deepEqual(await get(app.port, '/health'), { status: 200, text: 'ok\n' });
    assert.equal(await stop(app), 0);
  }
});
