/**
 * `add backend` as users type it: a real database when the project lacks one, every app waiting
 * for it, `--external`, and what each created config and compose file must pass (`validate`,
 * `docker-compose config -q`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import JSON5 from 'json5';
import { parse } from 'yaml';
import { DATABASES, DATABASE_KINDS, findBlueprint } from '../blueprints/index.js';
import { memReader, opsToFiles, readTree, released, runCli, tempDir } from './helpers.test.js';
import { planBackend } from './plan-backend.js';
import { planNew } from './plan-new.js';

const context = { project: 'my-app', supervisor: released('1.2.3') };
const hello = () => opsToFiles(planNew({ blueprint: findBlueprint('hello-world')!, project: 'my-app', supervisor: released('1.2.3') }));
type Job = { name: string; exec: string[]; port: number; when?: unknown; health: { exec: string[]; timeout: number; ttl: number }; stopTimeout: number };

for (const kind of DATABASE_KINDS) {
  test(`add backend db --image ${kind}: the official image, a query as health check, a named volume`, () => {
    const files = hello();
    const { ops, notes } = planBackend(memReader(files), { name: 'db', dependants: ['hello'], image: kind, context });
    const after = { ...files, ...opsToFiles(ops) };
    const db = DATABASES[kind];
    assert.match(after['db/Dockerfile']!, new RegExp(`^FROM ${db.image.replace('.', '\\.')}$`, 'm'));
    const cfg = JSON5.parse(after['db/containerpilot.json5']!) as { consul: string; jobs: Job[] };
    assert.equal(cfg.consul, 'consul:8500');
    const [job] = cfg.jobs;
    assert.deepEqual([job!.name, job!.port, job!.exec], ['db', db.port, db.exec]);
    assert.deepEqual(job!.health.exec, ['/bin/sh', '-c', db.check]);
    assert.deepEqual([job!.health.timeout, job!.health.ttl], [db.checkTimeout, db.checkTimeout + 10]);
    assert.ok(!/curl|wget/.test(db.check), 'no curl in the image');
    assert.ok(job!.stopTimeout >= 20);
    const compose = parse(after['docker-compose.yml']!) as { services: Record<string, { volumes?: string[]; environment?: Record<string, string> }>; volumes: Record<string, null> };
    assert.deepEqual(compose.services['db']!.volumes, [`db-data:${db.dataDir}`]);
    assert.deepEqual(compose.services['db']!.environment ?? {}, db.environment);
    assert.deepEqual(compose.volumes, { 'db-data': null });
    assert.deepEqual(notes, [`db is ${kind} (${db.image}), its data in the volume db-data; clients connect to ${db.url}, <host> an instance of db found in Consul`]);
  });
}

test('add backend db: each dependant watches db, runs its hook when it changes, and starts once db is healthy', () => {
  const files = hello();
  const { ops } = planBackend(memReader(files), { name: 'db', dependants: ['hello', 'world'], context });
  const after = { ...files, ...opsToFiles(ops) };
  for (const svc of ['hello', 'world']) {
    const cfg = JSON5.parse(after[`${svc}/containerpilot.json5`]!) as { jobs: Job[]; watches: Array<{ name: string }> };
    assert.deepEqual(cfg.jobs.find((j) => j.name === svc)!.when, { source: 'watch.db', once: 'healthy' });
    assert.deepEqual(cfg.jobs.find((j) => j.name === 'onchange-db')!.when, { source: 'watch.db', each: 'changed' });
    assert.deepEqual(cfg.watches.map((w) => w.name), ['db']);
    // The user's text is kept: the comment heading the file and every original line.
    for (const line of files[`${svc}/containerpilot.json5`]!.split('\n').filter((l) => l.trim() !== '' && !/^\s*\]|^\}/.test(l))) assert.ok(after[`${svc}/containerpilot.json5`]!.includes(line), line);
  }
  assert.equal(after['nginx/containerpilot.json5'], files['nginx/containerpilot.json5'], 'nginx does not depend on a database');
  const again = planBackend(memReader(after), { name: 'db', dependants: ['hello', 'world'], context });
  assert.deepEqual(again, { ops: [], notes: again.notes }, 'a second run changes nothing');
});

test('add backend with a second and a third backend: the dependant starts once all of them are healthy', () => {
  const files = hello();
  const first = { ...files, ...opsToFiles(planBackend(memReader(files), { name: 'db', dependants: ['hello', 'world'], context }).ops) };
  const second = planBackend(memReader(first), { name: 'cache', dependants: ['world'], image: 'redis', context });
  assert.ok(second.notes.includes('world starts once watch.db and watch.cache are all healthy'), second.notes.join('\n'));
  const after = { ...first, ...opsToFiles(second.ops) };
  const world = JSON5.parse(after['world/containerpilot.json5']!) as { jobs: Job[]; watches: Array<{ name: string }> };
  assert.deepEqual(world.jobs.find((j) => j.name === 'world')!.when, { source: ['watch.db', 'watch.cache'], once: 'healthy', all: true });
  assert.deepEqual(world.watches.map((w) => w.name), ['db', 'cache']);
  assert.equal(after['hello/containerpilot.json5'], first['hello/containerpilot.json5'], 'hello does not depend on cache');
  // The user's text is kept: every line of the file before, in order, but the one `when` it replaced.
  const before = first['world/containerpilot.json5']!.split('\n');
  const now = after['world/containerpilot.json5']!.split('\n');
  let at = 0;
  for (const line of before.filter((l) => !l.includes('when: { source: "watch.db", once: "healthy" }'))) {
    while (at < now.length && now[at] !== line) at++;
    assert.ok(at < now.length, `line kept in order: ${line}`);
  }
  const third = { ...after, ...opsToFiles(planBackend(memReader(after), { name: 'queue', dependants: ['world'], image: 'redis', context }).ops) };
  const w3 = JSON5.parse(third['world/containerpilot.json5']!) as { jobs: Job[] };
  assert.deepEqual(w3.jobs.find((j) => j.name === 'world')!.when, { source: ['watch.db', 'watch.cache', 'watch.queue'], once: 'healthy', all: true });
  const again = planBackend(memReader(third), { name: 'cache', dependants: ['world'], context });
  assert.deepEqual(again.ops, [], 'adding a backend it already waits for changes nothing');
});

test('add backend leaves a `when` the user wrote for something else alone, and says so', () => {
  const files = hello();
  files['hello/containerpilot.json5'] = files['hello/containerpilot.json5']!.replace(/name: "hello",/, 'name: "hello",\n      when: { source: "setup", once: "exitSuccess" },');
  assert.match(files['hello/containerpilot.json5']!, /source: "setup"/);
  const plan = planBackend(memReader(files), { name: 'db', dependants: ['hello'], context });
  assert.ok(plan.notes.includes('hello already has a "when" of its own (source "setup"), so it does not wait for db (hello/containerpilot.json5)'), plan.notes.join('\n'));
  const cfg = JSON5.parse(opsToFiles(plan.ops)['hello/containerpilot.json5']!) as { jobs: Job[] };
  assert.deepEqual(cfg.jobs.find((j) => j.name === 'hello')!.when, { source: 'setup', once: 'exitSuccess' });
});

test('add backend --external wires the dependants and creates nothing; mistakes are refused', () => {
  const files = hello();
  const { ops } = planBackend(memReader(files), { name: 'payments', dependants: ['world'], external: true, context });
  assert.deepEqual(ops.map((op) => op.path).sort(), ['world/containerpilot.json5', 'world/onchange-payments.sh']);
  assert.throws(() => planBackend(memReader(files), { name: 'hello', dependants: [], external: true, context }), /^GeneratorError: --external: "hello" is a service of this project/);
  assert.throws(() => planBackend(memReader(files), { name: 'db', dependants: ['nope'], context }), /^GeneratorError: unknown service "nope" \(docker-compose\.yml has: consul, nginx, hello, world\)$/);
  assert.throws(() => planBackend(memReader(files), { name: 'world', dependants: ['hello'], image: 'redis', context }), /"world" is already a service of this project, and not redis/);
  const legacy = { ...files, 'docker-compose.yml': 'consul:\n  image: consul\nhello:\n  build: hello/\n' };
  assert.throws(() => planBackend(memReader(legacy), { name: 'db', dependants: ['hello'], context }), /legacy format .* no named volumes/);
});

test('add backend in a project: without a terminal every app depends on it, and every file it writes passes validate and docker-compose config', (t) => {
  const cwd = tempDir(t);
  assert.equal(runCli(['new', 'hello-world', 'p', '--yes'], { cwd }).status, 0);
  const dir = join(cwd, 'p');
  const db = runCli(['add', 'backend', 'db'], { cwd: dir });
  assert.equal(db.status, 0, db.stderr);
  assert.match(db.stdout, /^hello, world will depend on db \(choose with --service\)\n/);
  assert.match(db.stdout, /\n {2}docker compose up -d --build db hello world\n$/);
  for (const [name, image, service] of [['cache', 'redis', 'world'], ['pg', 'postgres', 'hello'], ['sql', 'mysql', 'hello']]) {
    const r = runCli(['add', 'backend', name!, '--image', image!, '--service', service!], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
  }
  const tree = readTree(dir);
  const configs = Object.keys(tree).filter((f) => f.endsWith('containerpilot.json5'));
  assert.equal(configs.length, 7);
  const validate = runCli(['validate', ...configs], { cwd: dir });
  assert.equal(validate.status, 0, validate.stdout + validate.stderr);
  const compose = spawnSync('docker-compose', ['config', '-q'], { cwd: dir, encoding: 'utf8' });
  assert.equal(compose.status, 0, compose.stderr);
  const services = spawnSync('docker-compose', ['config', '--services'], { cwd: dir, encoding: 'utf8' }).stdout.trim().split('\n').sort();
  assert.deepEqual(services, ['cache', 'consul', 'db', 'hello', 'nginx', 'pg', 'sql', 'world']);
  const volumes = spawnSync('docker-compose', ['config', '--volumes'], { cwd: dir, encoding: 'utf8' }).stdout.trim().split('\n').sort();
  assert.deepEqual(volumes, ['cache-data', 'db-data', 'pg-data', 'sql-data']);
});

test('databases that create the app\'s database from the environment: the health check queries it over TCP, with variables the compose entry sets', () => {
  for (const kind of ['postgres', 'mysql'] as const) {
    const db = DATABASES[kind];
    // The entrypoint's temporary server (first start) listens on a local socket only: over TCP only the real server answers.
    assert.match(db.check, /-h ?127\.0\.0\.1/, kind);
    const used = [...db.check.matchAll(/\$([A-Z_]+)/g)].map((m) => m[1]!);
    assert.ok(used.length >= 2, `${kind}: the check names its database and credentials from the environment`);
    for (const v of used) assert.ok(v in db.environment, `${kind}: the check uses $${v}, which the compose entry does not set`);
  }
});
