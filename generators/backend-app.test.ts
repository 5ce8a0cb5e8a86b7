/**
 * The app side of `add backend`: a Node service gets a module that finds the backend with
 * autopilot-pattern-client and uses its official driver, a route to it, the dependencies in its
 * package files and `npm ci` in its image.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBlueprint } from '../blueprints/index.js';
import { CLIENT_PACKAGE } from './client-source.js';
import { development, memReader, opsToFiles, released } from './helpers.test.js';
import { planBackend } from './plan-backend.js';
import { planNew } from './plan-new.js';
import type { SupervisorSource } from './supervisor-source.js';

const project = (supervisor: SupervisorSource, extra: { consulAgent?: boolean; vendorFrom?: string } = {}) => opsToFiles(planNew({ blueprint: findBlueprint('hello-world')!, project: 'my-app', supervisor, ...extra }));

type Pkg = { dependencies: Record<string, string> };
type Lock = { packages: Record<string, { dependencies?: Record<string, string>; integrity?: string }> };

test('add backend db --service hello: hello/db.js finds db with the client and uses mongodb; index.js routes /db; npm ci in the image', () => {
  const supervisor = released('1.2.3');
  const files = project(supervisor);
  const { ops, notes } = planBackend(memReader(files), { name: 'db', dependants: ['hello'], context: { project: 'my-app', supervisor } });
  const after = { ...files, ...opsToFiles(ops) };
  const module = after['hello/db.js']!;
  assert.match(module, /require\('mongodb'\)/);
  assert.match(module, /import\('autopilot-pattern-client'\)/);
  assert.match(module, /service\(NAME, /);
  assert.match(module, /^const NAME = 'db';$/m);
  assert.match(after['hello/index.js']!, /^const BACKENDS = \[require\('\.\/db\.js'\)\];$/m);
  const pkg = JSON.parse(after['hello/package.json']!) as Pkg;
  assert.deepEqual(Object.keys(pkg.dependencies), [CLIENT_PACKAGE, 'mongodb']);
  assert.equal(pkg.dependencies[CLIENT_PACKAGE], '1.2.3', 'a release pins the published client');
  const lock = JSON.parse(after['hello/package-lock.json']!) as Lock;
  assert.deepEqual(lock.packages['']!.dependencies, pkg.dependencies);
  for (const dep of ['mongodb', 'bson', CLIENT_PACKAGE]) assert.match(lock.packages[`node_modules/${dep}`]?.integrity ?? '', /^sha512-/, dep);
  const docker = after['hello/Dockerfile']!;
  const install = docker.indexOf('RUN npm ci --omit=dev');
  assert.ok(install > docker.lastIndexOf('FROM ') && install < docker.indexOf('COPY . /opt/hello/'), 'dependencies installed in the last stage, before the app is copied');
  assert.match(docker, /^COPY package\.json package-lock\.json \.\/$/m);
  assert.match(docker, /^ENV CONSUL=consul:8500$/m);
  assert.doesNotMatch(docker, /COPY vendor\//, 'the published client needs no vendored copy');
  assert.equal(after['hello/.dockerignore'], 'node_modules\nnpm-debug.log\n');
  assert.ok(!ops.some((op) => op.path.startsWith('world/')), 'world does not use db');
  assert.deepEqual(notes, ['db is mongo (mongo:7.0), its data in the volume db-data; clients connect to mongodb://<host>:27017, <host> an instance of db found in Consul']);
});

test('add backend cache --image redis for an app that already uses db: both routes, both drivers, one npm ci', () => {
  const supervisor = released('1.2.3');
  const context = { project: 'my-app', supervisor };
  const files = project(supervisor);
  const first = { ...files, ...opsToFiles(planBackend(memReader(files), { name: 'db', dependants: ['hello'], context }).ops) };
  const second = { ...first, ...opsToFiles(planBackend(memReader(first), { name: 'cache', dependants: ['hello'], image: 'redis', context }).ops) };
  assert.match(second['hello/cache.js']!, /require\('redis'\)/);
  assert.match(second['hello/index.js']!, /^const BACKENDS = \[require\('\.\/db\.js'\), require\('\.\/cache\.js'\)\];$/m);
  const pkg = JSON.parse(second['hello/package.json']!) as Pkg;
  assert.deepEqual(Object.keys(pkg.dependencies), [CLIENT_PACKAGE, 'mongodb', 'redis']);
  const lock = JSON.parse(second['hello/package-lock.json']!) as Lock;
  for (const dep of ['mongodb', 'redis', '@redis/client']) assert.ok(lock.packages[`node_modules/${dep}`], dep);
  assert.equal(second['hello/Dockerfile']!.split('RUN npm ci').length, 2, 'one npm ci');
  const again = planBackend(memReader(second), { name: 'cache', dependants: ['hello'], context });
  assert.deepEqual(again.ops, [], 'a second run changes nothing');
});

test('add backend in a development build or --consul-agent project: the client is vendored and found at the agent', () => {
  const supervisor = development('0.1.0');
  const files = project(supervisor, { consulAgent: true });
  const { ops } = planBackend(memReader(files), { name: 'db', dependants: ['world'], context: { project: 'my-app', supervisor, consulAgent: true } });
  const after = { ...files, ...opsToFiles(ops) };
  const pkg = JSON.parse(after['world/package.json']!) as Pkg;
  assert.equal(pkg.dependencies[CLIENT_PACKAGE], `file:vendor/${CLIENT_PACKAGE}`);
  assert.ok(after[`world/vendor/${CLIENT_PACKAGE}/index.js`], 'the client is vendored');
  const docker = after['world/Dockerfile']!;
  assert.ok(docker.indexOf('COPY vendor/ ./vendor/') < docker.indexOf('RUN npm ci'), 'the vendored client is in place before npm ci');
  assert.match(docker, /^ENV CONSUL=localhost:8500$/m);
});

test('add backend with --vendor: npm ci goes into the last stage, before its copy of the app', () => {
  const supervisor = { ...development('0.1.0'), vendor: true };
  const files = project(supervisor, { vendorFrom: '/bin/true' });
  const { ops } = planBackend(memReader(files), { name: 'db', dependants: ['hello'], context: { project: 'my-app', supervisor, vendorFrom: '/bin/true' } });
  const docker = opsToFiles(ops)['hello/Dockerfile']!;
  const lastFrom = docker.lastIndexOf('\nFROM ');
  const install = docker.indexOf('RUN npm ci');
  assert.ok(install > lastFrom && install < docker.indexOf('COPY --from=app /opt/hello/ /opt/hello/'), docker);
});

test('add backend: postgres, mysql and external backends get the hook only; an index.js without BACKENDS gets a note', () => {
  const supervisor = released('1.2.3');
  const context = { project: 'my-app', supervisor };
  const files = project(supervisor);
  for (const image of ['postgres', 'mysql'] as const) {
    const { ops } = planBackend(memReader(files), { name: 'sql', dependants: ['hello'], image, context });
    assert.deepEqual(ops.filter((op) => op.path.startsWith('hello/')).map((op) => op.path).sort(), ['hello/containerpilot.json5', 'hello/onchange-sql.sh'], image);
  }
  const external = planBackend(memReader(files), { name: 'payments', dependants: ['hello'], external: true, context });
  assert.ok(!external.ops.some((op) => op.path === 'hello/payments.js'));
  const edited = { ...files, 'hello/index.js': 'require("node:http").createServer().listen(3001);\n' };
  const { ops, notes } = planBackend(memReader(edited), { name: 'db', dependants: ['hello'], context });
  assert.ok(!ops.some((op) => op.path === 'hello/index.js'), 'the user\'s index.js is left alone');
  assert.ok(ops.some((op) => op.path === 'hello/db.js'));
  assert.ok(notes.some((n) => n.startsWith('hello/index.js has no `const BACKENDS = [...]` line: require(\'./db.js\') there')), notes.join('\n'));
});

test('the hook script names the Consul address the service uses', () => {
  const supervisor = released('1.2.3');
  const files = project(supervisor, { consulAgent: true });
  const { ops } = planBackend(memReader(files), { name: 'db', dependants: ['hello'], context: { project: 'my-app', supervisor, consulAgent: true } });
  const hook = opsToFiles(ops)['hello/onchange-db.sh']!;
  assert.match(hook, /http:\/\/localhost:8500\/v1\/health\/service\/db\?passing/);
});
