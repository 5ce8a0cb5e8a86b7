// `autopilot add backend` end to end, typed as the documentation types it: `new hello-world`,
// `add backend db` (mongo; without a terminal every app depends on it) and `add backend cache
// --image redis --service world`, build, up; each app starts once all its backends pass (world
// waits for db and cache), finds them in Consul with autopilot-pattern-client and uses them
// through nginx; a db restart loses nothing; five hellos all use the db. Stand-ins (e2e/setup/): mongo:7.0
// is FerretDB with mongosh, redis:7.4 Debian's redis-server. The apps' drivers (mongodb, redis)
// and the client come from the test's npm registry, as a user's `npm ci` gets them.
import { test } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { passing } from './lib/checks.mjs';
import { COMPOSE } from './lib/docker.mjs';
import { hostnames } from './lib/scale.mjs';
import { run, waitFor } from './lib/sh.mjs';
import { npxAutopilot, timedLogs, withStack } from './lib/stack.mjs';
import { apiRequest } from './lib/todo.mjs';

const APP = ['db', 'cache', 'hello', 'world', 'nginx'];
const ALL = ['consul', ...APP];
/** Each app and the backends it depends on. */
const DEPENDS = { hello: ['db'], world: ['db', 'cache'] };
/** Each backend's URL scheme and port. */
const BACKEND = { db: ['mongodb', 27017], cache: ['redis', 6379] };

test('add backend: mongo for hello and world, redis for world too; gated start, use through nginx, db restart, hello scaled to 5', { timeout: 45 * 60_000 }, () => withStack('hello-world', async ({ project, phases, dir, work }) => {
  await phases.run('npx autopilot-pattern new hello-world, add backend db, add backend cache --image redis', [], async () => {
    await npxAutopilot(project, work, ['new', 'hello-world', dir, '--yes']);
    const db = await npxAutopilot(project, work, ['add', 'backend', 'db', '--dir', dir]);
    // No terminal: every app service depends on db, and the command says which it chose.
    if (!`${db.stdout}${db.stderr}`.includes('hello, world will depend on db')) throw new Error(`add backend db did not say who depends on db:\n${db.stdout}${db.stderr}`);
    const cache = await npxAutopilot(project, work, ['add', 'backend', 'cache', '--image', 'redis', '--service', 'world', '--dir', dir]);
    if (!`${cache.stdout}${cache.stderr}`.includes('world starts once watch.db and watch.cache are all healthy')) throw new Error(`add backend cache did not gate world on both backends:\n${cache.stdout}${cache.stderr}`);
  });

  await phases.run('autopilot validate every containerpilot.json5; docker-compose config -q', [], async () => {
    const services = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && readdirSync(join(dir, d.name)).includes('containerpilot.json5')).map((d) => d.name);
    for (const want of APP) if (!services.includes(want)) throw new Error(`no ${want}/containerpilot.json5 generated (found ${services.join(', ')})`);
    const configs = services.map((s) => join(dir, s, 'containerpilot.json5'));
    const { stdout } = await npxAutopilot(project, work, ['validate', ...configs]);
    if (stdout.split('\n').filter((l) => l.startsWith('ok: ')).length !== configs.length) throw new Error(`validate did not pass every config:\n${stdout}`);
    await run(COMPOSE, ['config', '-q'], { cwd: dir, env: project.env, timeoutMs: 60_000 });
    await project.compose(['config', '-q'], { timeoutMs: 60_000 });
  });

  // The apps' `RUN npm ci` installs their driver and autopilot-pattern-client through the registry.
  await phases.run(`${project.composeCommand} build`, [], () => project.compose(['build'], { timeoutMs: 15 * 60_000 }));
  const upAt = Date.now();
  await phases.run(`${project.composeCommand} up -d`, ALL, () => project.compose(['up', '-d'], { timeoutMs: 5 * 60_000 }));

  const consulIp = await project.ip('consul');
  const nginxIp = await project.ip('nginx');
  const describePassing = async () => (await Promise.all(APP.map(async (s) => `${s}=${(await passing(consulIp, s)).length}`))).join(' ');
  const onePassing = (services) => async () => ((await Promise.all(services.map(async (s) => (await passing(consulIp, s)).length))).every((n) => n === 1) ? true : undefined);

  // Polled from right after `up -d`: 502 until nginx routes to a hello, 503 until hello reaches db.
  await phases.run('first GET /hello/db through nginx answered from mongo', ALL, async () => {
    await visit(nginxIp, '/hello/db', 180_000, 100);
    phases.note('up -d -> first hello->mongo round trip through nginx', Date.now() - upAt);
  });

  await phases.run('db, cache, hello, world, nginx passing in Consul', ALL, async () => {
    await waitFor('every service passing in Consul', onePassing(APP), { timeoutMs: 180_000, describe: describePassing });
    phases.note('up -d -> every service passing in Consul', Date.now() - upAt);
  });

  await phases.run('hello and world started only once all their backends passed, and reached each first time', ALL, async () => {
    const [consulId] = await project.ids('consul');
    const consulLog = await timedLogs(project, consulId);
    for (const [app, backends] of Object.entries(DEPENDS)) {
      const [appId] = await project.ids(app);
      const appLog = await timedLogs(project, appId);
      const listening = appLog.find((l) => new RegExp(`${app} listening on port`).test(l.line));
      if (!listening) throw new Error(`${app} never logged "${app} listening on port"`);
      let lastPassing = 0;
      for (const backend of backends) {
        // Consul (dev mode, DEBUG) logs each check update: the first passing one of the backend's.
        const backendPassing = consulLog.find((l) => new RegExp(`Check status updated: check=\\S*${backend}-\\S+ status=passing`).test(l.line));
        if (!backendPassing) throw new Error(`Consul never logged ${backend}'s check as passing`);
        if (listening.at < backendPassing.at) throw new Error(`${app} started (${new Date(listening.at).toISOString()}) before ${backend} passed in Consul (${new Date(backendPassing.at).toISOString()})`);
        lastPassing = Math.max(lastPassing, backendPassing.at);
        // Its first lookup in Consul (autopilot-pattern-client) found the backend: no failed attempt before.
        const [scheme, port] = BACKEND[backend];
        const ip = await project.ip(backend);
        const first = appLog.find((l) => new RegExp(`${backend}: (connected to|cannot connect)`).test(l.line));
        if (!first || !first.line.includes(`${backend}: connected to ${scheme}://${ip}:${port}`)) throw new Error(`${app}'s first connection attempt did not reach ${backend} at ${ip}:${port}: ${first?.line ?? 'none logged'}`);
      }
      phases.note(`last of ${backends.join(' and ')} passing in Consul -> ${app} listening`, listening.at - lastPassing);
    }
  });

  const dbIp = await project.ip('db');
  const cacheIp = await project.ip('cache');
  let before;
  await phases.run('GET /hello/db writes to and reads from mongo, GET /world/cache uses redis and /world/db mongo, through nginx', ALL, async () => {
    const hellos = await hostnames(project, 'hello');
    const one = await visit(nginxIp, '/hello/db', 60_000);
    const two = await visit(nginxIp, '/hello/db', 10_000);
    for (const r of [one, two]) {
      if (!hellos.has(r.host) || r.backend !== 'db' || r.server !== `${dbIp}:27017` || typeof r.wrote !== 'string') throw new Error(`/hello/db answered ${JSON.stringify(r)}`);
    }
    // The second request read back what the first wrote: one more visit, the same first document.
    if (two.visits !== one.visits + 1 || two.first?.id !== one.first?.id || two.wrote === one.wrote) throw new Error(`/hello/db did not read back its writes: ${JSON.stringify(one)} then ${JSON.stringify(two)}`);
    const worlds = await hostnames(project, 'world');
    const c1 = await visit(nginxIp, '/world/cache', 60_000);
    const c2 = await visit(nginxIp, '/world/cache', 10_000);
    for (const r of [c1, c2]) if (!worlds.has(r.host) || r.backend !== 'cache' || r.server !== `${cacheIp}:6379`) throw new Error(`/world/cache answered ${JSON.stringify(r)}`);
    if (c2.visits !== c1.visits + 1 || c2.previous !== c1.host) throw new Error(`/world/cache did not count in redis: ${JSON.stringify(c1)} then ${JSON.stringify(c2)}`);
    // world reaches db too (it depends on both), in a database of its own on the same server.
    const w1 = await visit(nginxIp, '/world/db', 60_000);
    const w2 = await visit(nginxIp, '/world/db', 10_000);
    for (const r of [w1, w2]) if (!worlds.has(r.host) || r.backend !== 'db' || r.server !== `${dbIp}:27017` || typeof r.wrote !== 'string') throw new Error(`/world/db answered ${JSON.stringify(r)}`);
    if (w2.visits !== w1.visits + 1 || w2.first?.id !== w1.first?.id) throw new Error(`/world/db did not read back its writes: ${JSON.stringify(w1)} then ${JSON.stringify(w2)}`);
    before = two;
  });

  await phases.run(`${project.composeCommand} restart db: hello reconnects, nothing written before is lost`, ['consul', 'db', 'hello', 'world', 'nginx'], async () => {
    const helloIds = await project.ids('hello');
    const t0 = Date.now();
    await project.compose(['restart', 'db'], { timeoutMs: 90_000 });
    phases.note(`${project.composeCommand} restart db`, Date.now() - t0);
    // From the moment db is back up, a client polls /hello/db while Consul is asked for db.
    const [after] = await Promise.all([
      visit(nginxIp, '/hello/db', 90_000, 100).then((r) => {
        phases.note('restart: first hello->mongo round trip again (from restart)', Date.now() - t0);
        return r;
      }),
      waitFor('db passing in Consul again', onePassing(['db']), { timeoutMs: 90_000, describe: describePassing }).then(() =>
        phases.note('restart: db passing in Consul again (from restart)', Date.now() - t0)),
    ]);
    if (after.first?.id !== before.first?.id || after.visits <= before.visits) throw new Error(`after the restart /hello/db answered ${JSON.stringify(after)}; before it: ${JSON.stringify(before)}`);
    // The same hello process reconnected: its container was not restarted or replaced.
    const infos = await project.inspect(await project.ids('hello'));
    if (infos.length !== helloIds.length || infos.some((i) => !helloIds.includes(i.Id) || i.RestartCount !== 0 || !i.State.Running)) throw new Error('a hello container was restarted or replaced during the db restart');
    // db left Consul while it restarted: hello's db.js looked it up again and connected anew.
    const dbIpNow = await project.ip('db');
    const connected = await waitFor('hello connecting to db again, found in Consul', async () => {
      const since = (await timedLogs(project, helloIds[0])).filter((l) => l.at >= t0);
      return since.find((l) => l.line.includes(`db: connected to mongodb://${dbIpNow}:27017`));
    }, { timeoutMs: 60_000, everyMs: 500 });
    phases.note('restart: hello connected to db again through Consul (from restart)', connected.at - t0);
    const failed = (await timedLogs(project, helloIds[0])).filter((l) => l.at >= t0 && /db: cannot connect/.test(l.line));
    if (failed.length) throw new Error(`hello failed to reconnect before it did: ${failed.map((l) => l.line).join(' | ')}`);
    before = after;
  });

  await phases.run(`${project.composeCommand} scale hello=5: every instance uses the db`, ['consul', 'db', 'hello', 'nginx'], async () => {
    const t0 = Date.now();
    await project.compose(['scale', 'hello=5'], { timeoutMs: 5 * 60_000 });
    await waitFor('5 hello passing in Consul', async () => ((await passing(consulIp, 'hello')).length === 5 ? true : undefined), { timeoutMs: 180_000, describe: describePassing });
    phases.note('scale hello=5: 5 passing in Consul (from scale start)', Date.now() - t0);
    const hellos = await hostnames(project, 'hello');
    if (hellos.size !== 5) throw new Error(`${hellos.size} hello containers run, not 5`);
    const seen = new Map();
    let requests = 0;
    await waitFor('each of the 5 hello containers answering /hello/db from the db', async () => {
      for (let i = 0; i < 10; i++, requests++) {
        const r = await apiRequest(nginxIp, 'GET', '/hello/db');
        if (r.status === 200 && hellos.has(r.json?.host) && r.json.server === `${dbIp}:27017` && r.json.first?.id === before.first.id) seen.set(r.json.host, r.json);
      }
      return seen.size === 5 ? true : undefined;
    }, { timeoutMs: 60_000, everyMs: 200, describe: () => `${requests} requests; answered from ${[...seen.keys()].join(' ')}` });
    phases.note('scale hello=5: all 5 answering /hello/db (from scale start)', Date.now() - t0);
    process.stderr.write(`scale hello=5: ${requests} requests through nginx, /hello/db answered by ${[...seen.keys()].join(', ')}\n`);
  });
}));

/** GET <path> through nginx until it answers 200 with JSON (502/503 while it comes up); the JSON. */
async function visit(nginxIp, path, timeoutMs, everyMs = 250) {
  let last = '';
  return waitFor(`GET ${path} -> 200`, async () => {
    const r = await apiRequest(nginxIp, 'GET', path);
    last = `${r.status} ${r.body.slice(0, 300)}`;
    return r.status === 200 && r.json ? r.json : undefined;
  }, { timeoutMs, everyMs, describe: () => last });
}
