/**
 * The generated applications run for real: hello/world answer their word and hostname, and the
 * todo API connects to the mongo Consul names, serves /todos, and reconnects when its hook (or
 * SIGHUP) says mongo changed. Only the mongodb driver is a stand-in (no mongod here).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { findBlueprint } from '../blueprints/index.js';
import { memReader, opsToFiles, runNode, tempDir, writeOps, released } from './helpers.test.js';
import { planAddService } from './plan-add.js';
import { planNew } from './plan-new.js';

interface App {
  child: ChildProcess;
  output: () => string;
  port: number;
}

async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startApp(t: TestContext, script: string, env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.exitCode === null && child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(`${script} to listen`, () => /listening on port \d+/.test(out) || child.exitCode !== null);
  const port = Number(/listening on port (\d+)/.exec(out)?.[1]);
  assert.ok(port > 0, out);
  return { child, output: () => out, port };
}

async function stop(app: App): Promise<number | null> {
  app.child.kill('SIGTERM');
  const [code] = (await once(app.child, 'exit')) as [number | null];
  return code;
}

const get = async (port: number, path: string, init?: RequestInit) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: res.status, text: await res.text() };
};

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

/** A stand-in for the mongodb driver that logs what it connects to and keeps documents in memory. */
const FAKE_DRIVER = `
const docs = [];
class MongoClient {
  constructor(url) { this.url = url; }
  async connect() { console.log('driver: connect ' + this.url); }
  async close() { console.log('driver: close ' + this.url); }
  db() { return { collection: () => ({
    find: () => ({ sort: () => ({ toArray: async () => docs.slice() }) }),
    insertOne: async (doc) => { const insertedId = 'id' + (docs.length + 1); docs.push({ _id: insertedId, ...doc }); return { insertedId }; },
  }) }; }
}
module.exports = { MongoClient };
`;

test('todo api: finds mongo in Consul, serves /todos, reconnects on its hook and on SIGHUP', async (t) => {
  const dir = tempDir(t);
  writeOps(dir, planNew({ blueprint: findBlueprint('todo-api')!, project: 'p', supervisor: released('1.2.3') }));
  writeOps(dir, [{ path: 'api/node_modules/mongodb/index.js', content: FAKE_DRIVER, action: 'create' }]);
  let healthy: Array<{ Service: { Address: string; Port: number }; Node: { Address: string } }> = [];
  const consul = createServer((req, res) => {
    res.writeHead(req.url === '/v1/health/service/mongo?passing' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(healthy));
  });
  consul.listen(0, '127.0.0.1');
  await once(consul, 'listening');
  t.after(() => consul.close());
  const consulAddr = `127.0.0.1:${(consul.address() as AddressInfo).port}`;
  const instance = (ip: string) => ({ Service: { Address: ip, Port: 27017 }, Node: { Address: 'node' } });

  // The hook before the API runs: nothing to reconnect, and that is not a failure.
  const early = await runNode(join(dir, 'api/reconnect.js'), { PORT: '1' });
  assert.equal(early.status, 0, early.stdout + early.stderr);
  assert.match(early.stdout, /the API is not running yet/);

  const api = await startApp(t, join(dir, 'api/index.js'), { CONSUL: consulAddr });
  await waitFor('the first connection attempt', () => api.output().includes('no healthy mongo instance'));
  assert.equal((await get(api.port, '/health')).status, 503);
  assert.equal((await get(api.port, '/todos')).status, 503);

  healthy = [instance('10.0.0.5')];
  const hook = await runNode(join(dir, 'api/reconnect.js'), { PORT: String(api.port) });
  assert.equal(hook.status, 0, hook.stdout + hook.stderr);
  assert.match(hook.stdout, /the API answered 200/);
  assert.match(api.output(), /connected to mongodb:\/\/10\.0\.0\.5:27017/);
  assert.equal((await get(api.port, '/health')).status, 200);

  const json = { method: 'POST', headers: { 'content-type': 'application/json' } };
  const created = await get(api.port, '/todos', { ...json, body: JSON.stringify({ title: 'write tests' }) });
  assert.equal(created.status, 201);
  assert.equal((JSON.parse(created.text) as { title: string }).title, 'write tests');
  assert.deepEqual((JSON.parse((await get(api.port, '/todos')).text) as Array<{ title: string }>).map((d) => d.title), ['write tests']);
  assert.equal((await get(api.port, '/todos', { ...json, body: '{"nope": 1}' })).status, 400);
  assert.equal((await get(api.port, '/todos', { method: 'DELETE' })).status, 405);

  healthy = [instance('10.0.0.6')];
  api.child.kill('SIGHUP');
  await waitFor('the SIGHUP reconnect', () => api.output().includes('connected to mongodb://10.0.0.6:27017'));
  await waitFor('the old client to close', () => api.output().includes('driver: close mongodb://10.0.0.5:27017'));
  assert.equal(await stop(api), 0);
});
