/**
 * Every file of the ContainerPilot compatibility corpus behaves as ../shared/compat/README.md
 * says: whole configs load, bare job arrays load when wrapped, the TestErr files fail naming
 * the job and the field, and every 2.x config translates (etcd is refused in one line).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compatDir } from '../../testing/paths.js';
import { ConfigError, loadConfigText, type Config } from './index.js';

const v3Dir = join(compatDir, 'containerpilot-v3');
const v2Dir = join(compatDir, 'v2');
// The variables the corpus's templates use; unset ones would render empty (missingkey=zero).
const env = { CONSUL: 'consul', APP_PORT: '8000', ENV_VAR_NAME: 'value', CONSUL_HOST: 'consul' };

function load(file: string, text: string): Config {
  return loadConfigText(text, { file, env });
}

function configText(file: string): string {
  const text = readFileSync(join(v3Dir, file), 'utf8');
  if (file.startsWith('jobs__testdata__')) {
    const consul = /\bport:/.test(text) ? 'consul: "localhost:8500", ' : '';
    return `{${consul}jobs: ${text}}`;
  }
  if (file.startsWith('telemetry__testdata__')) return `{telemetry: ${text}}`;
  return text;
}

const v3Files = readdirSync(v3Dir).filter((f) => f.endsWith('.json5'));

test('the corpus is where the tests expect it', () => {
  assert.ok(v3Files.length >= 30, `found ${v3Files.length} v3 configs in ${v3Dir}`);
  assert.ok(readdirSync(v2Dir).length >= 8);
});

for (const file of v3Files.filter((f) => !f.includes('TestErr'))) {
  test(`v3 corpus loads: ${file}`, () => {
    const config = load(file, configText(file));
    assert.ok(config.jobs.length > 0 || config.telemetry, 'the config has jobs or telemetry');
    for (const job of config.jobs) {
      assert.ok(job.name.length > 0);
      if (job.service) assert.ok(job.health, `${job.name} is advertised so it has a health check`);
    }
  });
}

for (const [file, field] of [
  ['jobs__testdata__TestErrJobConfigConsulEnableTagOverride.json5', 'consul.enableTagOverride'],
  ['jobs__testdata__TestErrJobConfigConsulDeregisterCriticalServiceAfter.json5', 'consul.deregisterCriticalServiceAfter'],
] as const) {
  test(`v3 corpus is rejected naming job and field: ${file}`, () => {
    assert.throws(
      () => load(file, configText(file)),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.errors.length, 1);
        assert.match(err.errors[0]!, new RegExp(`^${file}: jobs\\[0\\] \\("serviceA"\\)\\.${field.replace('.', '\\.')}: `));
        return true;
      },
    );
  });
}

test('config/testdata/test.json5 gives the model ContainerPilot derives', () => {
  const c = load('test.json5', configText('config__testdata__test.json5'));
  assert.deepEqual(c.consul, { address: 'consul:8500', scheme: 'http' });
  assert.equal(c.stopTimeoutMs, 5000);
  assert.deepEqual(c.logging, { level: 'INFO', format: 'default', output: 'stdout' });
  assert.equal(c.control.socket, '/var/run/containerpilot.socket');
  const byName = new Map(c.jobs.map((j) => [j.name, j]));
  const a = byName.get('serviceA')!;
  assert.deepEqual(a.exec, ['/bin/serviceA']);
  assert.deepEqual(a.when, { kind: 'event', sources: ['preStart'], event: 'exitSuccess', mode: 'once', timeoutMs: 0 });
  assert.deepEqual(a.service, { port: 8080, interfaces: ['inet', 'lo0'], tags: ['tag1', 'tag2'], enableTagOverride: false });
  assert.deepEqual(a.health, { check: { kind: 'exec', exec: ['/bin/to/healthcheck/for/service/A.sh'] }, intervalMs: 19000, ttlMs: 30000, timeoutMs: 19000, logging: { raw: false } });
  assert.equal(a.restarts, 0);
  const b = byName.get('serviceB')!;
  assert.equal(b.health!.ttlMs, 103000, 'ttl given as the string "103"');
  assert.equal(b.health!.timeoutMs, 2000);
  assert.equal(byName.get('coprocessC')!.restarts, 'unlimited');
  const d = byName.get('periodicTaskD')!;
  assert.deepEqual(d.when, { kind: 'interval', intervalMs: 1000 });
  assert.equal(d.restarts, 'unlimited', 'interval jobs restart by default');
  assert.equal(d.timeoutMs, 1000, 'interval jobs time out at their interval');
  assert.deepEqual(byName.get('preStart')!.exec, ['/bin/to/preStart.sh', 'arg1', 'arg2']);
  assert.deepEqual(byName.get('preStop')!.when, { kind: 'event', sources: ['serviceA'], event: 'stopping', mode: 'once', timeoutMs: 0 });
  assert.deepEqual(byName.get('onChange-upstreamA')!.when, { kind: 'event', sources: ['watch.upstreamA'], event: 'changed', mode: 'each', timeoutMs: 0 });
  assert.deepEqual(c.watches, [
    { name: 'upstreamA', target: { kind: 'service', service: 'upstreamA', tag: 'dev' }, intervalMs: 11000 },
    { name: 'upstreamB', target: { kind: 'service', service: 'upstreamB' }, intervalMs: 79000 },
  ]);
  assert.deepEqual(c.telemetry, {
    port: 9000,
    interfaces: ['inet', 'lo0'],
    tags: ['dev'],
    metrics: [{ namespace: 'org', subsystem: 'app', name: 'zed', help: 'gauge of zeds in org app', type: 'gauge' }],
  });
  assert.deepEqual(c.warnings, []);
});

test('signal sources, raw logging and initial_status follow ContainerPilot', () => {
  const sighup = load('s.json5', configText('integration_tests__tests__test_sighup__containerpilot.json5'));
  assert.deepEqual(sighup.jobs[1]!.when, { kind: 'event', sources: ['SIGHUP'], event: 'signal', mode: 'each', timeoutMs: 0 });
  const logging = load('l.json5', configText('integration_tests__tests__test_logging__containerpilot.json5'));
  assert.deepEqual(logging.jobs.map((j) => [j.logging.raw, j.health?.logging?.raw]), [[false, undefined], [true, undefined], [false, true], [false, false]]);
  const status = load('i.json5', configText('jobs__testdata__TestJobConfigServiceWithInitialStatus.json5'));
  assert.equal(status.jobs[0]!.service!.initialStatus, 'warning');
  assert.equal(status.jobs[1]!.service, undefined, 'an invalid initial_status on a job without a port is ignored, as in ContainerPilot');
});

test('the documentation examples load with warnings for what ContainerPilot tolerated', () => {
  const stopping = load('stopping.json5', configText('docs__30-configuration__examples__stopping.json5'));
  assert.equal(stopping.jobs[0]!.health!.ttlMs, 10000, '"tll" is read as "ttl"');
  assert.deepEqual(stopping.warnings, [
    'stopping.json5: jobs[0] ("app").health.tll: read as "ttl" (a misspelling found in ContainerPilot\'s documentation)',
    'stopping.json5: jobs[1] ("preStop").restart: read as "restarts" (a misspelling found in ContainerPilot\'s documentation)',
  ]);
  const periodic = load('periodic.json5', configText('docs__30-configuration__examples__periodic-tasks.json5'));
  assert.deepEqual(periodic.warnings, ['periodic.json5:11:7: missing comma between values (accepted, as ContainerPilot\'s examples rely on it)']);
  assert.equal(periodic.jobs[0]!.restarts, 'unlimited');
});

const v2Files = readdirSync(v2Dir).filter((f) => f.endsWith('.json'));
for (const file of v2Files) {
  const text = readFileSync(join(v2Dir, file), 'utf8');
  if (text.includes('"etcd"')) {
    test(`v2 corpus with etcd is refused in one line: ${file}`, () => {
      assert.throws(() => load(file, text), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.errors, [`${file}: etcd: the etcd discovery backend of ContainerPilot 2.x is not supported; use "consul"`]);
        return true;
      });
    });
    continue;
  }
  test(`v2 corpus translates and validates: ${file}`, () => {
    const raw = JSON.parse(text) as Record<string, unknown[] | undefined>;
    const c = load(file, text);
    for (const s of (raw['services'] ?? []) as Array<Record<string, unknown>>) {
      const job = c.jobs.find((j) => j.name === s['name']);
      assert.ok(job?.service, `service ${String(s['name'])} became an advertised job`);
      assert.equal(job.service.port, s['port']);
      assert.equal(job.health!.intervalMs, (s['poll'] as number) * 1000);
      assert.equal(job.health!.ttlMs, (s['ttl'] as number) * 1000);
      if (raw['preStart']) assert.deepEqual(job.when, { kind: 'event', sources: ['preStart'], event: 'exitSuccess', mode: 'once', timeoutMs: 0 });
    }
    for (const b of (raw['backends'] ?? []) as Array<Record<string, unknown>>) {
      const watch = c.watches.find((w) => w.name === b['name']);
      assert.equal(watch?.intervalMs, (b['poll'] as number) * 1000);
      const onChange = c.jobs.find((j) => j.name === `onChange-${String(b['name'])}`);
      assert.deepEqual(onChange?.when, { kind: 'event', sources: [`watch.${String(b['name'])}`], event: 'changed', mode: 'each', timeoutMs: 0 });
    }
    for (const cp of (raw['coprocesses'] ?? []) as Array<Record<string, unknown>>) {
      const restarts = cp['restarts'] === 'never' ? 0 : cp['restarts'];
      assert.ok(c.jobs.some((j) => j.restarts === restarts && j.exec?.[0] === (cp['command'] as string[])[0]));
    }
  });
}

test('2.x full schema: tasks, coprocesses, sensors, preStop and postStop map onto jobs', () => {
  const c = load('full.json', readFileSync(join(v2Dir, 'cp278__docs__full-schema.json'), 'utf8'));
  const byName = new Map(c.jobs.map((j) => [j.name, j]));
  assert.deepEqual([...byName.keys()], ['preStart', 'app', 'consul-template', 'task', 'onChange-nginx', 'onChange-app', 'sensor-metric-id', 'preStop', 'postStop']);
  assert.deepEqual(byName.get('preStart')!.exec, ['/usr/local/bin/preStart-script.sh', 'value']);
  assert.deepEqual(byName.get('task')!.when, { kind: 'interval', intervalMs: 1500 });
  assert.equal(byName.get('task')!.timeoutMs, 100);
  assert.equal(byName.get('consul-template')!.restarts, 'unlimited');
  assert.deepEqual(byName.get('sensor-metric-id')!.when, { kind: 'interval', intervalMs: 5000 });
  assert.deepEqual(byName.get('preStop')!.when, { kind: 'event', sources: ['app'], event: 'stopping', mode: 'once', timeoutMs: 0 });
  assert.deepEqual(byName.get('postStop')!.when, { kind: 'event', sources: ['app'], event: 'stopped', mode: 'once', timeoutMs: 0 });
  const app = byName.get('app')!;
  assert.equal(app.service!.enableTagOverride, true);
  assert.equal(app.service!.deregisterCriticalServiceAfter, '90m');
  assert.equal(app.health!.timeoutMs, 10000);
  assert.deepEqual(c.telemetry!.metrics, [{ namespace: '', subsystem: '', name: 'metric_id', help: 'help text', type: 'counter' }]);
  assert.equal(byName.get('onChange-nginx')!.timeoutMs, 30000);
});

test('an unnamed 2.x coprocess is named after its executable', () => {
  const c = load('api.json', readFileSync(join(v2Dir, 'lucj-api__containerpilot.json'), 'utf8'));
  const consul = c.jobs.find((j) => j.name === 'consul')!;
  assert.equal(consul.restarts, 'unlimited');
  assert.ok(consul.exec!.includes('consul'), 'the retry-join template rendered to the CONSUL_HOST value');
});
