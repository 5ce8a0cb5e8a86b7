// The todo-api blueprint end to end, as a user runs it: `autopilot new todo-api`, `docker compose
// build`, `up -d`, todos through nginx, a mongo restart, stop; on a Docker daemon this test starts
// itself (e2e/setup/). mongo:7.0 is a stand-in: FerretDB (a MongoDB-wire-compatible server, SQLite
// backend) behind a `mongod` command. Every phase is timed; a failing phase is named, with logs.
import { test } from 'node:test';
import { passing } from './lib/checks.mjs';
import { run, waitFor } from './lib/sh.mjs';
import { npxAutopilot, timedLogs, withStack } from './lib/stack.mjs';
import { composeStop } from './lib/stop.mjs';
import { apiRequest, logsSince } from './lib/todo.mjs';

const APP = ['mongo', 'api', 'nginx'];
const ALL = ['consul', ...APP];

test('todo-api blueprint: new, build, up, todos through nginx, mongo restart, stop', { timeout: 45 * 60_000 }, () => withStack('todo-api', async ({ project, phases, dir, work }) => {
  const env = project.env;

  await phases.run('npx autopilot-pattern new todo-api (from the registry)', [], () => npxAutopilot(project, work, ['new', 'todo-api', dir, '--yes']));
  // Builds the api's `RUN npm ci` offline, from the warm npm cache of the node stand-in.
  await phases.run(`${project.composeCommand} build`, [], () => project.compose(['build'], { timeoutMs: 10 * 60_000 }));
  await phases.run(`${project.composeCommand} up -d`, ALL, () => project.compose(['up', '-d'], { timeoutMs: 5 * 60_000 }));

  const consulIp = await project.ip('consul');
  const nginxIp = await project.ip('nginx');
  const mongoIp = await project.ip('mongo');
  const describePassing = async () => (await Promise.all(APP.map(async (s) => `${s}=${(await passing(consulIp, s)).length}`))).join(' ');

  await phases.run('mongo, api, nginx passing in Consul', ALL, () =>
    waitFor('mongo, api and nginx passing in Consul', async () => {
      const counts = await Promise.all(APP.map(async (s) => (await passing(consulIp, s)).length));
      return counts.every((n) => n === 1) ? counts : undefined;
    }, { describe: describePassing }));

  await phases.run('the api started only once mongo was healthy in Consul', ['consul', 'mongo', 'api'], async () => {
    const [apiId] = await project.ids('api');
    const [consulId] = await project.ids('consul');
    const apiLog = await timedLogs(project, apiId);
    const listening = apiLog.find((l) => /api listening on port 3000/.test(l.line));
    if (!listening) throw new Error('the api never logged "api listening on port 3000"');
    // Consul (dev mode, DEBUG) logs each check update; the first passing one of mongo's check.
    const consulLog = await timedLogs(project, consulId);
    const mongoPassing = consulLog.find((l) => /Check status updated: check=\S*mongo-\S+ status=passing/.test(l.line));
    if (!mongoPassing) throw new Error('Consul never logged mongo\'s check as passing');
    if (listening.at < mongoPassing.at) {
      throw new Error(`the api started (${new Date(listening.at).toISOString()}) before mongo passed in Consul (${new Date(mongoPassing.at).toISOString()})`);
    }
    // Its first lookup of mongo in Consul found the healthy instance: no failed attempt before it.
    const first = apiLog.find((l) => /connected to mongodb:|cannot connect to mongo/.test(l.line));
    if (!first || !first.line.includes(`connected to mongodb://${mongoIp}:27017`)) {
      throw new Error(`the api's first connection attempt did not reach mongo at ${mongoIp}:27017: ${first?.line ?? 'none logged'}`);
    }
    phases.note('mongo passing in Consul -> api listening', listening.at - mongoPassing.at);
  });

  const title = `try autopilot ${process.pid}-${Date.now()}`;
  let created;
  await phases.run('POST then GET /api/todos through nginx', ALL, async () => {
    // Right after the api registers nginx may not have rendered it yet (502 until then).
    created = await waitFor('POST /api/todos -> 201', async () => {
      const r = await apiRequest(nginxIp, 'POST', '/api/todos', { title });
      return r.status === 201 ? r.json : undefined;
    }, { timeoutMs: 60_000, everyMs: 500, describe: async () => JSON.stringify(await apiRequest(nginxIp, 'GET', '/api/todos').catch((e) => e.message)) });
    if (created.title !== title || typeof created._id !== 'string') throw new Error(`POST answered ${JSON.stringify(created)}`);
    await expectTodo(nginxIp, created, 10_000);
  });

  await phases.run(`${project.composeCommand} restart mongo: the api reconnects, the todo is still there`, ['consul', 'mongo', 'api', 'nginx'], async () => {
    const [apiId] = await project.ids('api');
    const t0 = Date.now();
    await project.compose(['restart', 'mongo'], { timeoutMs: 60_000 });
    phases.note(`${project.composeCommand} restart mongo`, Date.now() - t0);
    await waitFor('mongo passing in Consul again', async () => ((await passing(consulIp, 'mongo')).length === 1 ? true : undefined),
      { timeoutMs: 60_000, describe: describePassing });
    phases.note('restart: mongo passing in Consul again (from restart)', Date.now() - t0);
    const ip = await project.ip('mongo');
    // The api connects only when asked (start-up, SIGHUP, POST /-/reconnect): a new "connected
    // to" line followed by the onchange-mongo hook's "answered 200" is the hook's reconnect.
    const lines = await waitFor('the reconnect hook and a new connection in the api\'s log', async () => {
      const since = await logsSince(project, apiId, t0);
      const connected = since.find((l) => l.line.includes(`connected to mongodb://${ip}:27017`));
      const hook = connected && since.find((l) => l.at >= connected.at && /reconnect: the API answered 200/.test(l.line));
      return hook ? { hook, connected } : undefined;
    }, { timeoutMs: 60_000, everyMs: 500, describe: async () => (await logsSince(project, apiId, t0)).map((l) => l.line).join(' | ').slice(-600) });
    phases.note('restart: api connected again (from restart)', lines.connected.at - t0);
    // The data lives in the mongo container (the blueprint's README): a restart keeps it.
    await expectTodo(nginxIp, created, 30_000);
  });

  await phases.run(`${project.composeCommand} stop: deregistered, clean exits, stop hooks`, ALL, () =>
    composeStop(project, phases, { consulIp, all: ALL, app: APP, oneEach: true }));
}));

/** GET /api/todos through nginx lists `todo` (same id and title), within `timeoutMs`. */
async function expectTodo(nginxIp, todo, timeoutMs) {
  let last = '';
  await waitFor(`GET /api/todos listing ${todo._id}`, async () => {
    const r = await apiRequest(nginxIp, 'GET', '/api/todos');
    last = `${r.status} ${r.body.slice(0, 300)}`;
    return r.status === 200 && Array.isArray(r.json) && r.json.some((t) => t._id === todo._id && t.title === todo.title) ? true : undefined;
  }, { timeoutMs, everyMs: 500, describe: () => last });
}
