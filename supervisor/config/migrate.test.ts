/** `migrate`: 2.x configs become commented v3 JSON5 that loads into the very same model. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import JSON5 from 'json5';
import { fixtureFiles, fixtureText } from '../../testing/config-fixtures.js';
import { emitJson5 } from './emit.js';
import { ConfigError } from './index.js';
import { migrateText } from './migrate.js';
import { expectMigrates, migrateRoundTrip } from './testdata/checks.js';

const env = { CONSUL_HOST: 'consul-a', PREPARE_MODE: 'x', PORT: '8080' };
const roundTrip = (text: string, file = 'old.json') => migrateRoundTrip(text, file, env);

// Every 2.x fixture (supervisor/config/testdata/v2); `npm run compat -- <dir>` does the same on real ones.
for (const file of fixtureFiles('v2')) {
  const text = fixtureText('v2', file);
  if (text.includes('"etcd"')) continue;
  test(`migrate round-trips ${file}`, () => expectMigrates(text, file, env));
}

test('migrate keeps Go templates that sit inside strings', () => {
  const text = fixtureText('v2', 'notes-api.json');
  const { migrated, after } = roundTrip(text);
  assert.ok(migrated.text.includes('"{{ if .CONSUL_HOST }}{{ .CONSUL_HOST }}{{ else }}consul.service{{ end }}"'));
  assert.ok(after.jobs.find((j) => j.name === 'consul')!.exec!.includes('consul-a'));
});

test('migrate renders a 2.x file that is JSON only once rendered, and says so', () => {
  const text = '{"consul": "localhost:8500", "services": [{"name": "app", "port": {{ .PORT }}, "health": "check", "poll": 1, "ttl": 3}]}';
  const { migrated, after } = roundTrip(text);
  assert.ok(migrated.text.includes('port: 8080'));
  assert.ok(migrated.text.includes('// Its Go templates were rendered with the environment at migration time'));
  assert.equal(after.jobs[0]!.service!.port, 8080);
});

test('migrate: the 2.x command becomes the main job that preStart, preStop and postStop attach to', () => {
  const text = JSON.stringify({
    consul: 'localhost:8500',
    command: ['node', 'server.js'],
    preStart: 'setup.sh',
    preStop: 'drain.sh',
    postStop: ['cleanup.sh', '--all'],
    services: [{ name: 'api', port: 3000, health: 'curl -f localhost:3000', poll: 2, ttl: 6, interfaces: 'eth0' }],
    tasks: [{ command: '/bin/rotate-logs', frequency: '1h', timeout: '5m' }],
  });
  const { after } = roundTrip(text);
  const byName = new Map(after.jobs.map((j) => [j.name, j]));
  assert.deepEqual([...byName.keys()], ['preStart', 'api', 'rotate-logs', 'preStop', 'postStop']);
  assert.deepEqual(byName.get('api')!.exec, ['node', 'server.js']);
  assert.deepEqual(byName.get('api')!.service!.interfaces, ['eth0']);
  assert.deepEqual(byName.get('preStop')!.when, { kind: 'event', sources: ['api'], event: 'stopping', mode: 'once', timeoutMs: 0 });
  assert.deepEqual(byName.get('rotate-logs')!.when, { kind: 'interval', intervalMs: 3_600_000 });
  assert.equal(byName.get('rotate-logs')!.timeoutMs, 300_000);
});

test('migrate: without services the 2.x command is a job named app; hooks follow it', () => {
  const { after } = roundTrip(JSON.stringify({ command: 'app --serve', postStop: 'bye', coprocesses: [{ command: 'app-helper', restarts: 'never' }] }));
  assert.deepEqual(after.jobs.map((j) => [j.name, j.restarts]), [['app', 0], ['app-helper', 0], ['postStop', 0]]);
  assert.deepEqual(after.jobs[2]!.when, { kind: 'event', sources: ['app'], event: 'stopped', mode: 'once', timeoutMs: 0 });
});

test('migrate refuses a config that is already 3.x', () => {
  assert.throws(
    () => migrateText('{jobs: []}', { file: 'v3.json5', env }),
    (e: unknown) => e instanceof ConfigError && e.message === 'v3.json5: not a ContainerPilot 2.x config (no services, backends, coprocesses, tasks, preStart, preStop or postStop); it needs no migration',
  );
});

test('migrate reports the problems of the 2.x file instead of writing a broken one', () => {
  assert.throws(
    () => migrateText('{"services": [{"name": "app", "port": 80, "health": "c", "poll": 1, "ttl": 2}]}', { file: 'old.json', env }),
    (e: unknown) => e instanceof ConfigError && /^old\.json: services\[0\] \("app"\)\.port: a job with a port is advertised in Consul, but the config has no top-level "consul"/.test(e.message),
  );
});

test('emitJson5 writes JSON5 that parses back to the same tree', () => {
  const tree = {
    'a-b': 'say "hi"',
    both: `it's "x"`,
    nl: 'line\nnext\u2028',
    n: [1, -2.5, null, true],
    nested: [{ x: [] }, {}],
    long: Array.from({ length: 20 }, (_, i) => `argument-${i}`),
  };
  const text = emitJson5(tree, new Map([['', ['top']], ['nested[0]', ['first']], ['long', ['many']]]));
  assert.deepEqual(JSON5.parse(text), tree);
  assert.ok(text.startsWith('// top\n{\n'));
  assert.ok(text.includes(`"a-b": 'say "hi"'`));
  assert.ok(text.includes('    // first\n    {'));
  assert.ok(text.includes('  // many\n  long: [\n'));
});
