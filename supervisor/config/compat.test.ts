/**
 * ContainerPilot compatibility of the loader, on our own fixtures (supervisor/config/testdata,
 * one scenario each, see its README): whole v3 configs load, bare job arrays load when wrapped,
 * the reject-* fragments fail naming the job and the field, and every 2.x config translates
 * (etcd is refused in one line). `npm run compat -- <dir>` runs the same checks on a folder of
 * real ContainerPilot configs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureFiles, fixtureText, wholeConfig } from '../../testing/config-fixtures.js';
import { loadConfigText, type Config } from './index.js';
import { expectEtcdRefused, expectRejected, expectUsableConfig, expectV2Translated } from './testdata/checks.js';

// The variables the fixtures' templates use; unset ones would render empty (missingkey=zero).
const env = { CONSUL: 'consul.service', APP_PORT: '8000', PREPARE_MODE: 'cold', CONSUL_HOST: 'consul.service' };

function load(file: string, text: string): Config {
  return loadConfigText(text, { file, env });
}

const v3 = (name: string): string => fixtureText('v3', name);
const jobs = (name: string): string => wholeConfig('jobs', fixtureText('v3-jobs', name));

const v3Files = fixtureFiles('v3');
const jobFiles = fixtureFiles('v3-jobs');
const REJECTED: Record<string, string> = {
  'reject-enable-tag-override.json5': 'consul.enableTagOverride',
  'reject-deregister-after.json5': 'consul.deregisterCriticalServiceAfter',
};

test('the fixtures are where the tests expect them', () => {
  assert.ok(v3Files.length >= 15, `found ${v3Files.length} v3 configs`);
  assert.ok(jobFiles.length >= 10, `found ${jobFiles.length} job arrays`);
  assert.ok(fixtureFiles('v2').length >= 8);
  assert.deepEqual(jobFiles.filter((f) => f.startsWith('reject-')), Object.keys(REJECTED).sort(), 'every reject-* fixture says which field it gets wrong');
});

const loadable: Array<[string, string]> = [
  ...v3Files.map((f): [string, string] => [f, v3(f)]),
  ...jobFiles.filter((f) => !(f in REJECTED)).map((f): [string, string] => [`jobs/${f}`, jobs(f)]),
  ...fixtureFiles('v3-telemetry').map((f): [string, string] => [`telemetry/${f}`, wholeConfig('telemetry', fixtureText('v3-telemetry', f))]),
];
for (const [file, text] of loadable) {
  test(`v3 fixture loads: ${file}`, () => expectUsableConfig(load(file, text)));
}

for (const [file, field] of Object.entries(REJECTED)) {
  test(`v3 fixture is rejected naming job and field: ${file}`, () => expectRejected(() => load(file, jobs(file)), file, 'gateway', field));
}

test('a config with every kind of job gives the model ContainerPilot derives', () => {
  const c = load('every-field.json5', v3('every-field.json5'));
  assert.deepEqual(c.consul, { address: 'registry.internal:8500', scheme: 'http' });
  assert.equal(c.stopTimeoutMs, 7000);
  assert.deepEqual(c.logging, { level: 'INFO', format: 'default', output: 'stdout' });
  assert.equal(c.control.socket, '/var/run/containerpilot.socket');
  const byName = new Map(c.jobs.map((j) => [j.name, j]));
  const front = byName.get('storefront')!;
  assert.deepEqual(front.exec, ['/srv/storefront/bin/serve']);
  assert.deepEqual(front.when, { kind: 'event', sources: ['preStart'], event: 'exitSuccess', mode: 'once', timeoutMs: 0 });
  assert.deepEqual(front.service, { port: 8443, interfaces: ['inet', 'lo'], tags: ['web', 'blue'], enableTagOverride: false });
  assert.deepEqual(front.health, { check: { kind: 'exec', exec: ['/srv/storefront/bin/ping'] }, intervalMs: 17000, ttlMs: 41000, timeoutMs: 17000, logging: { raw: false } });
  assert.equal(front.restarts, 0);
  const ledger = byName.get('ledger')!;
  assert.deepEqual(ledger.service!.interfaces, ['eth1', 'eth0', 'inet', 'lo']);
  assert.deepEqual(ledger.health!.check, { kind: 'exec', exec: ['/srv/ledger/bin/ledger-ping', '--deep'] });
  assert.equal(ledger.health!.ttlMs, 97000, 'ttl given as the string "97"');
  assert.equal(ledger.health!.timeoutMs, 3000);
  assert.equal(byName.get('metrics-shipper')!.restarts, 'unlimited');
  const compact = byName.get('compact-cache')!;
  assert.deepEqual(compact.when, { kind: 'interval', intervalMs: 2000 });
  assert.equal(compact.restarts, 'unlimited', 'interval jobs restart by default');
  assert.equal(compact.timeoutMs, 2000, 'interval jobs time out at their interval');
  assert.deepEqual(byName.get('preStart')!.exec, ['/srv/hooks/prepare.sh', '--fresh', 'now']);
  assert.deepEqual(byName.get('preStop')!.when, { kind: 'event', sources: ['storefront'], event: 'stopping', mode: 'once', timeoutMs: 0 });
  assert.deepEqual(byName.get('postStop')!.when, { kind: 'event', sources: ['storefront'], event: 'stopped', mode: 'once', timeoutMs: 0 });
  assert.deepEqual(byName.get('onChange-pricing')!.when, { kind: 'event', sources: ['watch.pricing'], event: 'changed', mode: 'each', timeoutMs: 0 });
  assert.deepEqual(byName.get('onHealthy-stock')!.when, { kind: 'event', sources: ['watch.stock'], event: 'healthy', mode: 'each', timeoutMs: 0 });
  assert.deepEqual(c.watches, [
    { name: 'pricing', target: { kind: 'service', service: 'pricing', tag: 'canary' }, intervalMs: 9000 },
    { name: 'stock', target: { kind: 'service', service: 'stock' }, intervalMs: 53000 },
  ]);
  assert.deepEqual(c.telemetry, {
    port: 9123,
    interfaces: ['inet', 'lo'],
    tags: ['shop'],
    metrics: [{ namespace: 'shop', subsystem: 'cart', name: 'open_carts', help: 'carts not yet checked out', type: 'gauge' }],
  });
  assert.deepEqual(c.warnings, []);
});

test('signal sources, raw logging and initial_status follow ContainerPilot', () => {
  const signals = load('s.json5', v3('signals.json5'));
  assert.deepEqual(signals.jobs[1]!.when, { kind: 'event', sources: ['SIGHUP'], event: 'signal', mode: 'each', timeoutMs: 0 });
  assert.deepEqual(signals.jobs[2]!.when, { kind: 'event', sources: ['SIGUSR2'], event: 'signal', mode: 'each', timeoutMs: 0 });
  const logging = load('l.json5', v3('output-logging.json5'));
  assert.deepEqual(logging.jobs.map((j) => [j.logging.raw, j.health?.logging?.raw]), [[false, undefined], [true, undefined], [false, true], [false, false]]);
  const status = load('i.json5', jobs('initial-status.json5'));
  assert.equal(status.jobs[0]!.service!.initialStatus, 'warning');
  assert.equal(status.jobs[1]!.service, undefined, 'an invalid initial_status on a job without a port is ignored, as in ContainerPilot');
});

test('what ContainerPilot\'s documentation tolerated loads, with warnings', () => {
  const misspelled = load('stopping.json5', v3('misspelled-hooks.json5'));
  assert.equal(misspelled.jobs[0]!.health!.ttlMs, 12000, '"tll" is read as "ttl"');
  assert.equal(misspelled.jobs[1]!.restarts, 0, '"restart" is read as "restarts"');
  assert.deepEqual(misspelled.warnings, [
    'stopping.json5: jobs[0] ("web").health.tll: read as "ttl" (a misspelling found in ContainerPilot\'s documentation)',
    'stopping.json5: jobs[1] ("preStop").restart: read as "restarts" (a misspelling found in ContainerPilot\'s documentation)',
  ]);
  const alarm = load('periodic.json5', v3('failure-alarm.json5'));
  assert.deepEqual(alarm.warnings, ['periodic.json5:12:7: missing comma between values (accepted, as ContainerPilot\'s examples rely on it)']);
  assert.equal(alarm.jobs[0]!.restarts, 'unlimited');
  assert.deepEqual(alarm.jobs[1]!.when, { kind: 'event', sources: ['rotate-logs'], event: 'exitFailed', mode: 'each', timeoutMs: 0 });
});

test('a `when` may give up waiting, and a health check may have its own timeout', () => {
  const c = load('chain.json5', v3('agent-chain.json5'));
  const byName = new Map(c.jobs.map((j) => [j.name, j]));
  assert.deepEqual(byName.get('local-agent')!.exec!.slice(4, 6), ['-retry-join', 'consul.service'], '{{ .CONSUL }} rendered');
  assert.equal(byName.get('local-agent')!.service, undefined, 'no port: not advertised');
  assert.ok(byName.get('local-agent')!.health, 'but health-checked, for its healthy event');
  assert.deepEqual(byName.get('configure')!.when, { kind: 'event', sources: ['local-agent'], event: 'healthy', mode: 'once', timeoutMs: 120_000 });
  assert.deepEqual(byName.get('api')!.when, { kind: 'event', sources: ['configure'], event: 'exitSuccess', mode: 'once', timeoutMs: 90_000 });
  assert.equal(byName.get('api')!.health!.timeoutMs, 4000);
  const timeouts = load('t.json5', jobs('health-timeout.json5'));
  assert.deepEqual(timeouts.jobs.map((j) => j.health!.timeoutMs), [6000, 8000], 'a check times out at its interval by default');
});

for (const file of fixtureFiles('v2')) {
  const text = fixtureText('v2', file);
  if (text.includes('"etcd"')) {
    test(`v2 fixture with etcd is refused in one line: ${file}`, () => expectEtcdRefused(() => load(file, text), file));
    continue;
  }
  test(`v2 fixture translates and validates: ${file}`, () => expectV2Translated(text, load(file, text)));
}

test('2.x full schema: tasks, coprocesses, sensors, preStop and postStop map onto jobs', () => {
  const c = load('full.json', fixtureText('v2', 'full-schema.json'));
  const byName = new Map(c.jobs.map((j) => [j.name, j]));
  assert.deepEqual([...byName.keys()], ['preStart', 'shop', 'renderer', 'sweep', 'onChange-proxy', 'onChange-shop', 'sensor-queue-depth', 'preStop', 'postStop']);
  assert.deepEqual(byName.get('preStart')!.exec, ['/opt/legacy/bin/prepare.sh', 'cold']);
  assert.deepEqual(byName.get('sweep')!.when, { kind: 'interval', intervalMs: 2500 });
  assert.equal(byName.get('sweep')!.timeoutMs, 200);
  assert.equal(byName.get('renderer')!.restarts, 'unlimited');
  assert.deepEqual(byName.get('sensor-queue-depth')!.when, { kind: 'interval', intervalMs: 4000 });
  assert.deepEqual(byName.get('preStop')!.when, { kind: 'event', sources: ['shop'], event: 'stopping', mode: 'once', timeoutMs: 0 });
  assert.deepEqual(byName.get('postStop')!.when, { kind: 'event', sources: ['shop'], event: 'stopped', mode: 'once', timeoutMs: 0 });
  const shop = byName.get('shop')!;
  assert.equal(shop.service!.enableTagOverride, true);
  assert.equal(shop.service!.deregisterCriticalServiceAfter, '45m');
  assert.equal(shop.service!.interfaces.length, 9, 'every 2.x interfaces form is kept');
  assert.equal(shop.health!.timeoutMs, 9000);
  assert.equal(c.stopTimeoutMs, 8000);
  assert.deepEqual(c.telemetry!.metrics, [{ namespace: '', subsystem: '', name: 'queue_depth', help: 'items waiting in the queue', type: 'counter' }]);
  assert.equal(byName.get('onChange-proxy')!.timeoutMs, 25000);
});

test('an unnamed 2.x coprocess is named after its executable', () => {
  const c = load('api.json', fixtureText('v2', 'notes-api.json'));
  const consul = c.jobs.find((j) => j.name === 'consul')!;
  assert.equal(consul.restarts, 'unlimited');
  assert.ok(consul.exec!.includes('consul.service'), 'the retry-join template rendered to the CONSUL_HOST value');
});
