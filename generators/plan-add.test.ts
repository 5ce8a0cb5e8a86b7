import assert from 'node:assert/strict';
import { test } from 'node:test';
import JSON5 from 'json5';
import { parse } from 'yaml';
import { findBlueprint, type Blueprint } from '../blueprints/index.js';
import { memReader, opsToFiles, released } from './helpers.test.js';
import { planAddBackend, planAddService } from './plan-add.js';
import { planNew } from './plan-new.js';
import type { FileOp } from './types.js';

const helloWorld = findBlueprint('hello-world')!;
const generate = (bp: Blueprint = helloWorld) => opsToFiles(planNew({ blueprint: bp, project: 'my-app', supervisor: released('1.2.3') }));
const applyOps = (files: Record<string, string>, ops: FileOp[]) => ({ ...files, ...opsToFiles(ops) });

test('add backend world to an nginx that only routes hello gives exactly what new generates with both', () => {
  const onlyHello: Blueprint = { ...helloWorld, services: helloWorld.services.map((s) => (s.name === 'nginx' ? { ...s, backends: ['hello'] } : s)) };
  const { ops } = planAddBackend(memReader(generate(onlyHello)), { name: 'world', service: 'nginx' });
  assert.deepEqual(ops.map((op) => [op.action, op.path]), [
    ['update', 'nginx/containerpilot.json5'],
    ['update', 'nginx/nginx.conf.ctmpl'],
    ['update', 'nginx/nginx.conf'],
  ]);
  const full = generate();
  for (const op of ops) assert.equal(op.content, full[op.path], op.path);
});

test('add backend db --service hello: a watch, an onchange-db job and its hook script', () => {
  const files = generate();
  const { ops } = planAddBackend(memReader(files), { name: 'db', service: 'hello' });
  const after = applyOps(files, ops);
  const cfg = JSON5.parse(after['hello/containerpilot.json5']!) as { jobs: Array<Record<string, unknown>>; watches: unknown[] };
  assert.deepEqual(cfg.watches, [{ name: 'db', interval: 3 }]);
  assert.deepEqual(cfg.jobs[1], { name: 'onchange-db', exec: ['/bin/sh', '/opt/hello/onchange-db.sh'], when: { source: 'watch.db', each: 'changed' } });
  const script = ops.find((op) => op.path === 'hello/onchange-db.sh');
  assert.equal(script?.mode, 0o755);
  assert.match(script!.content, /^#!\/bin\/sh\n/);
  // The user's own comments in the edited file survive.
  assert.ok(after['hello/containerpilot.json5']!.startsWith(files['hello/containerpilot.json5']!.split('\n  jobs')[0]!));
});

test('running add backend twice changes nothing and says what is already there', () => {
  const files = generate();
  const first = planAddBackend(memReader(files), { name: 'db', service: 'hello' });
  const second = planAddBackend(memReader(applyOps(files, first.ops)), { name: 'db', service: 'hello' });
  assert.deepEqual(second.ops, []);
  assert.deepEqual(second.notes, ['hello/containerpilot.json5 already watches db', 'hello/containerpilot.json5 already has job onchange-db', 'hello/onchange-db.sh already exists']);
  const nginxAgain = planAddBackend(memReader(files), { name: 'hello', service: 'nginx' });
  assert.deepEqual(nginxAgain.ops, []);
});

test('the todo api reconnects through its own hook', () => {
  const files = generate(findBlueprint('todo-api')!);
  const { ops } = planAddBackend(memReader(files), { name: 'cache', service: 'api' });
  const cfg = JSON5.parse(opsToFiles(ops)['api/containerpilot.json5']!) as { jobs: Array<{ name: string; exec: unknown }> };
  assert.deepEqual(cfg.jobs.map((j) => [j.name, j.exec]).slice(1), [
    ['onchange-mongo', 'node /opt/api/reconnect.js'],
    ['onchange-cache', 'node /opt/api/reconnect.js'],
  ]);
});

test('add backend: unknown service, bad name, self-watch and job-name clash are one-line errors', () => {
  const read = memReader(generate());
  assert.throws(() => planAddBackend(read, { name: 'db', service: 'nope' }), /^GeneratorError: unknown service "nope" \(docker-compose\.yml has: consul, nginx, hello, world\)$/);
  assert.throws(() => planAddBackend(read, { name: 'Bad_Name', service: 'hello' }), /invalid backend name "Bad_Name"/);
  assert.throws(() => planAddBackend(read, { name: 'hello', service: 'hello' }), /service "hello" cannot watch itself/);
  assert.throws(() => planAddBackend(read, { name: 'db', service: 'consul' }), /service "consul" has no consul\/containerpilot\.json5/);
  assert.throws(() => planAddBackend(read, { name: 'nginx', service: 'nginx' }), /cannot watch itself/);
  assert.throws(() => planAddBackend(memReader({}), { name: 'db', service: 'hello' }), /no docker-compose\.yml here/);
  const clash = memReader({ ...generate(), 'hello/containerpilot.json5': '{ jobs: [{ name: "db", exec: "x" }] }' });
  assert.throws(() => planAddBackend(clash, { name: 'db', service: 'hello' }), /hello\/containerpilot\.json5: a job is already named "db"/);
});

test('add service billing --port 3003: files and a compose entry without host ports', () => {
  const files = generate();
  const { ops } = planAddService(memReader(files), { name: 'billing', port: 3003, supervisor: released('1.2.3'), project: 'my-app' });
  assert.deepEqual(ops.map((op) => [op.action, op.path]), [
    ['create', 'billing/Dockerfile'],
    ['create', 'billing/containerpilot.json5'],
    ['create', 'billing/index.js'],
    ['update', 'docker-compose.yml'],
  ]);
  const after = applyOps(files, ops);
  assert.deepEqual(parse(after['docker-compose.yml']!).services.billing, {
    build: { context: 'billing/', args: { NPM_CONFIG_REGISTRY: '${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org/}' } },
    depends_on: ['consul'],
    restart: 'unless-stopped',
  });
  assert.ok(after['docker-compose.yml']!.startsWith(files['docker-compose.yml']!), 'the existing entries and comments are kept as they were');
  assert.match(after['billing/containerpilot.json5']!, /port: 3003,/);
  assert.match(after['billing/index.js']!, /const WORD = 'Billing';/);
});

test('add service picks the next free port when none is given', () => {
  const { notes } = planAddService(memReader(generate()), { name: 'billing', supervisor: released('1.2.3'), project: 'my-app' });
  assert.deepEqual(notes, ['billing listens on port 3003']);
});

test('add service: name clash, port clash and invalid port are one-line errors', () => {
  const read = memReader(generate());
  const add = (name: string, port?: number) => planAddService(read, { name, port, supervisor: released('1'), project: 'p' });
  assert.throws(() => add('hello', 3009), /^GeneratorError: service "hello" already exists in docker-compose\.yml$/);
  assert.throws(() => add('billing', 3001), /^GeneratorError: port 3001 is already used by hello$/);
  assert.throws(() => add('billing', 80), /^GeneratorError: port 80 is already used by nginx \(published\)$/);
  assert.throws(() => add('billing', 70000), /invalid port "70000"/);
});

test('a hook script reaches images that do not copy their whole folder (mongo): the Dockerfile gains a COPY', () => {
  const files = generate(findBlueprint('todo-api')!);
  const { ops } = planAddBackend(memReader(files), { name: 'backup', service: 'mongo' });
  const after = applyOps(files, ops);
  const dockerfile = after['mongo/Dockerfile']!;
  assert.equal(dockerfile, files['mongo/Dockerfile']!.replace(/^CMD /m, 'COPY onchange-backup.sh /etc/containerpilot/onchange-backup.sh\nCMD '));
  const cfg = JSON5.parse(after['mongo/containerpilot.json5']!) as { jobs: Array<{ name: string; exec: unknown }> };
  assert.deepEqual(cfg.jobs.find((j) => j.name === 'onchange-backup')?.exec, ['/bin/sh', '/etc/containerpilot/onchange-backup.sh']);
  assert.ok('mongo/onchange-backup.sh' in after);
  assert.deepEqual(planAddBackend(memReader(after), { name: 'backup', service: 'mongo' }).ops, []);
  // Without a Dockerfile the script is still written, and the summary says where it must go.
  const { notes } = planAddBackend(memReader({ ...files, 'mongo/Dockerfile': undefined as unknown as string }), { name: 'backup', service: 'mongo' });
  assert.deepEqual(notes, ['copy mongo/onchange-backup.sh into its image at /etc/containerpilot/onchange-backup.sh']);
});
