/**
 * The generated todo API against a real Consul: it finds mongo with autopilot-pattern-client
 * (vendored, as a development build generates it), serves /todos, and reconnects when its hook
 * or SIGHUP says mongo changed, and by itself when the instance it uses stops passing (the
 * client's blocking-query watch). Only the mongodb driver is a stand-in (no mongod here).
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBlueprint } from '../blueprints/index.js';
import { consulAgentForFile } from '../testing/consul-agent-file.js';
import { consulPut } from '../testing/consul-agent.js';
import { get, startApp, stop, waitFor } from './app-process.test.js';
import { development, runNode, tempDir, writeOps } from './helpers.test.js';
import { planNew } from './plan-new.js';

const file = consulAgentForFile();
const agent = () => file.current();

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

const register = (id: string, ip: string) => consulPut(agent(), '/v1/agent/service/register', { ID: id, Name: 'mongo', Address: ip, Port: 27017, Check: { CheckID: `service:${id}`, TTL: '120s', Status: 'passing' } });
const fail = (id: string) => consulPut(agent(), `/v1/agent/check/fail/service:${id}`);

test('todo api: finds mongo through the client, serves /todos, reconnects on its hook, on SIGHUP and when its instance stops passing', async (t) => {
  const dir = tempDir(t);
  writeOps(dir, planNew({ blueprint: findBlueprint('todo-api')!, project: 'p', supervisor: development('1.2.3') }));
  // What `npm ci` makes of the lockfile: the vendored client linked in, and (a stand-in) mongodb.
  mkdirSync(join(dir, 'api/node_modules'), { recursive: true });
  symlinkSync('../vendor/autopilot-pattern-client', join(dir, 'api/node_modules/autopilot-pattern-client'));
  writeOps(dir, [{ path: 'api/node_modules/mongodb/index.js', content: FAKE_DRIVER, action: 'create' }]);

  // The hook before the API runs: nothing to reconnect, and that is not a failure.
  const early = await runNode(join(dir, 'api/reconnect.js'), { PORT: '1' });
  assert.equal(early.status, 0, early.stdout + early.stderr);
  assert.match(early.stdout, /the API is not running yet/);

  const api = await startApp(t, join(dir, 'api/index.js'), { CONSUL: agent().address });
  await waitFor('the first connection attempt', () => api.output().includes('no healthy instance of "mongo"'));
  assert.equal((await get(api.port, '/health')).status, 503);
  assert.equal((await get(api.port, '/todos')).status, 503);

  await register('mongo-1', '10.0.0.5');
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

  // No hook, no signal: the instance in use stops passing, the watch moves the API to the other.
  await register('mongo-2', '10.0.0.6');
  await fail('mongo-1');
  await waitFor('the watch to reconnect', () => api.output().includes('connected to mongodb://10.0.0.6:27017'), 15_000);
  await waitFor('the old client to close', () => api.output().includes('driver: close mongodb://10.0.0.5:27017'));

  await register('mongo-3', '10.0.0.7');
  await fail('mongo-2');
  await waitFor('the watch to reconnect again', () => api.output().includes('connected to mongodb://10.0.0.7:27017'), 15_000);
  const before = api.output().split('connected to mongodb://10.0.0.7:27017').length;
  api.child.kill('SIGHUP');
  await waitFor('the SIGHUP reconnect', () => api.output().split('connected to mongodb://10.0.0.7:27017').length > before);
  assert.equal(await stop(api), 0);
});
