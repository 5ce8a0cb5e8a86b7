/** Durations, exec splitting, JSON5 repair, defaults, extensions and config sources. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { splitCommand, splitExecString } from './argv.js';
import { parseCpDuration, parseGoDuration } from './duration.js';
import { ConfigError, loadConfigFile, loadConfigText } from './index.js';
import { parseJson5 } from './parse.js';

const load = (text: string, env: Record<string, string> = {}) => loadConfigText(text, { file: 'c.json5', env });

test('Go durations parse as time.ParseDuration does', () => {
  assert.equal(parseGoDuration('10s'), 10_000);
  assert.equal(parseGoDuration('500ms'), 500);
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('2us'), 0.002);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('-1s'), -1000);
  assert.deepEqual(parseGoDuration('10'), { error: 'missing unit in duration "10"' });
  assert.deepEqual(parseGoDuration('10d'), { error: 'unknown unit "d" in duration "10d"' });
  assert.deepEqual(parseGoDuration(''), { error: 'invalid duration ""' });
  assert.deepEqual(parseGoDuration('s'), { error: 'invalid duration "s"' });
});

test('ContainerPilot durations: integers are seconds', () => {
  assert.equal(parseCpDuration(5), 5000);
  assert.equal(parseCpDuration('5'), 5000);
  assert.equal(parseCpDuration('250ms'), 250);
  assert.deepEqual(parseCpDuration(true), { error: 'expected a duration (a number of seconds or a string such as "10s"), got boolean true' });
});

test('exec strings split as ContainerPilot splits them: at every space, quotes are plain characters', () => {
  // commands.ParseArgs: strings.Split(strings.TrimSpace(s), " ")
  assert.deepEqual(splitExecString('/testdata/test.sh arg1'), ['/testdata/test.sh', 'arg1']);
  assert.deepEqual(splitExecString('/bin/app  -p 80'), ['/bin/app', '', '-p', '80']);
  assert.deepEqual(splitExecString(`echo 'hello world!'`), ['echo', "'hello", "world!'"]);
  assert.deepEqual(splitExecString('sh -c "echo hi"'), ['sh', '-c', '"echo', 'hi"']);
  assert.deepEqual(splitExecString('a\tb\\ c'), ['a\tb\\', 'c'], 'a tab is no separator; a backslash is plain');
  assert.deepEqual(splitExecString('\n\t app x \u0085'), ['app', 'x'], 'Go trims U+0085');
  assert.deepEqual(splitExecString('\ufeffapp'), ['\ufeffapp'], 'Go does not trim U+FEFF');
  assert.deepEqual(splitExecString('   '), []);
  const c = load(`{jobs: [{name: "a", exec: "echo 'hi there'"}, {name: "b", exec: ["echo", "hi there"]}]}`);
  assert.deepEqual(c.jobs[0]!.exec, ['echo', "'hi", "there'"]);
  assert.deepEqual(c.jobs[1]!.exec, ['echo', 'hi there']);
  assert.deepEqual(c.warnings, [
    'c.json5: jobs[0] ("a").exec: quotes in an exec string are passed as they are (it is split at every space, as in ContainerPilot); use an array to pass an argument holding spaces',
  ]);
});

test('consul-template commands (autopilot render) still split with quotes', () => {
  assert.deepEqual(splitCommand(`echo 'hello world!'`), ['echo', 'hello world!']);
  assert.deepEqual(splitCommand('echo "x'), { error: 'unterminated double quote' });
});

test('JSON5: a missing comma between lines is inserted and reported at its original place', () => {
  const r = parseJson5('{\n  a: 1\n  // note\n  b: [1\n    2]\n}');
  assert.ok(!('message' in r));
  assert.deepEqual(r.value, { a: 1, b: [1, 2] });
  assert.deepEqual(r.insertedCommas, [[4, 3], [5, 5]]);
  const bad = parseJson5('{\n  a: \n  b: 2\n}');
  assert.ok('message' in bad);
  assert.deepEqual([bad.line, bad.column, bad.message], [3, 3, "invalid character 'b'"]);
});

test('defaults: logging, control socket, stop timeout, job timing and restarts', () => {
  const c = load('{jobs: [{name: "app", exec: "app"}]}');
  assert.deepEqual(c.logging, { level: 'INFO', format: 'default', output: 'stdout' });
  assert.deepEqual(c.control, { socket: '/var/run/containerpilot.socket' });
  assert.equal(c.stopTimeoutMs, 5000);
  assert.equal(c.consul, undefined);
  assert.deepEqual(c.jobs[0], {
    name: 'app',
    exec: ['app'],
    timeoutMs: 0,
    stopTimeoutMs: 0,
    restarts: 0,
    when: { kind: 'event', sources: ['global'], event: 'startup', mode: 'once', timeoutMs: 0 },
    logging: { raw: false },
  });
  assert.deepEqual(load('{}').jobs, []);
});

test('an unnamed job is named after its executable; restarts accept every documented form', () => {
  const c = load('{jobs: [{exec: "/bin/worker --fast", restarts: "never"}, {name: "b", exec: "b", restarts: "3"}, {name: "c", exec: "c", restarts: 2}]}');
  assert.deepEqual(c.jobs.map((j) => [j.name, j.restarts]), [['/bin/worker', 0], ['b', 3], ['c', 2]]);
});

test('logging, stopTimeout and consul forms', () => {
  const c = load('{consul: "https://consul.service:8501", stopTimeout: "1m", logging: {level: "warning", format: "JSON", output: "/var/log/cp.log"}}');
  assert.deepEqual(c.consul, { address: 'consul.service:8501', scheme: 'https' });
  assert.equal(c.stopTimeoutMs, 60_000);
  assert.deepEqual(c.logging, { level: 'WARN', format: 'json', output: '/var/log/cp.log' });
  const o = load('{consul: {address: "127.0.0.1:8500", scheme: "https", token: "t0", tls: {cafile: "/ca.pem", servername: "consul", verify: false}}}');
  assert.deepEqual(o.consul, { address: '127.0.0.1:8500', scheme: 'https', token: 't0', tls: { cafile: '/ca.pem', servername: 'consul', verify: false } });
});

test('the Consul client environment variables override the file', () => {
  const c = load('{consul: {address: "c:8500", token: "file"}}', { CONSUL_HTTP_TOKEN: 'env', CONSUL_CACERT: '/env/ca.pem', CONSUL_HTTP_SSL_VERIFY: 'false' });
  assert.deepEqual(c.consul, { address: 'c:8500', scheme: 'http', token: 'env', tls: { verify: false, cafile: '/env/ca.pem' } });
});

test('extension: http and tcp health checks, timeout defaulting to the interval', () => {
  const c = load(`{consul: "c:8500", jobs: [
    {name: "web", port: 3001, exec: "node app.js", health: {http: "http://127.0.0.1:3001/health", interval: 5, ttl: 10}},
    {name: "db", port: 27017, health: {tcp: "127.0.0.1:27017", interval: 5, ttl: 10, timeout: "2s"}},
    {name: "v6", port: 80, health: {tcp: "[::1]:80", interval: 1, ttl: 3}},
  ]}`);
  assert.deepEqual(c.jobs[0]!.health, { check: { kind: 'http', url: 'http://127.0.0.1:3001/health' }, intervalMs: 5000, ttlMs: 10000, timeoutMs: 5000, logging: { raw: false } });
  assert.deepEqual(c.jobs[1]!.health!.check, { kind: 'tcp', host: '127.0.0.1', port: 27017 });
  assert.equal(c.jobs[1]!.health!.timeoutMs, 2000);
  assert.equal(c.jobs[1]!.exec, undefined, 'a job may only advertise a service');
  assert.deepEqual(c.jobs[2]!.health!.check, { kind: 'tcp', host: '::1', port: 80 });
  assert.deepEqual(c.jobs[0]!.service, { port: 3001, interfaces: ['eth0:inet', 'inet'], tags: [], enableTagOverride: false });
});

test('extension: several sources, KV watches, watches naming their service', () => {
  const c = load(`{consul: "c:8500",
    jobs: [{name: "reload", exec: "reload", when: {source: ["watch.db-primary", "watch.flags"], each: "changed"}}],
    watches: [
      {name: "db-primary", service: "db", tag: "primary", interval: 5},
      {name: "db-replica", service: "db", tag: "replica", dc: "east", interval: 5},
      {name: "flags", kv: "app/flags", prefix: true, interval: 10},
      {name: "one-key", kv: "app/key", interval: 10},
    ]}`);
  assert.deepEqual(c.jobs[0]!.when, { kind: 'event', sources: ['watch.db-primary', 'watch.flags'], event: 'changed', mode: 'each', timeoutMs: 0 });
  assert.deepEqual(c.watches.map((w) => w.target), [
    { kind: 'service', service: 'db', tag: 'primary' },
    { kind: 'service', service: 'db', tag: 'replica', dc: 'east' },
    { kind: 'kv', key: 'app/flags', prefix: true },
    { kind: 'kv', key: 'app/key', prefix: false },
  ]);
  assert.deepEqual(c.warnings, []);
});

test('extension: blocking: false makes a watch poll; absent or true keeps blocking queries', () => {
  const c = load(`{consul: "c:8500", watches: [
      {name: "polled", interval: 3, blocking: false},
      {name: "flags", kv: "app/flags", interval: 5, blocking: false},
      {name: "blocked", interval: 3, blocking: true},
      {name: "default", interval: 3},
    ]}`);
  assert.deepEqual(
    c.watches.map((w) => [w.name, w.intervalMs, w.blocking]),
    [
      ['polled', 3000, false],
      ['flags', 5000, false],
      ['blocked', 3000, undefined],
      ['default', 3000, undefined],
    ],
  );
  assert.deepEqual(c.watches[0], { name: 'polled', target: { kind: 'service', service: 'polled' }, intervalMs: 3000, blocking: false });
});

test('a when.source that names nothing loads (as in ContainerPilot) with a warning', () => {
  const c = load('{consul: "c:8500", jobs: [{name: "a", exec: "a", when: {source: "db", once: "healthy"}}], watches: [{name: "db", interval: 5}]}');
  assert.deepEqual(c.warnings, ['c.json5: jobs[0] ("a").when.source: "db" is not a job or watch in this config, so this job may never start (did you mean "watch.db"?)']);
});

test('shell syntax in an exec string is warned about', () => {
  const c = load('{jobs: [{name: "a", exec: "cat /x | grep y"}]}');
  assert.deepEqual(c.jobs[0]!.exec, ['cat', '/x', '|', 'grep', 'y']);
  assert.equal(c.warnings!.length, 1);
  assert.match(c.warnings![0]!, /^c\.json5: jobs\[0\] \("a"\)\.exec: commands run without a shell, so "\|" is passed as an argument/);
});

test('sources: a path, a file:// URL, $CONTAINERPILOT; unreadable ones are ConfigErrors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-config-'));
  try {
    const file = join(dir, 'containerpilot.json5');
    writeFileSync(file, '{jobs: [{name: "a", exec: "a"}]}');
    assert.equal(loadConfigFile(file, {}).jobs[0]!.name, 'a');
    assert.equal(loadConfigFile(pathToFileURL(file).href, {}).jobs.length, 1);
    assert.equal(loadConfigFile('', { CONTAINERPILOT: file }).jobs.length, 1);
    assert.throws(() => loadConfigFile(join(dir, 'missing.json5'), {}), (e: unknown) => e instanceof ConfigError && e.message === `config not found: ${join(dir, 'missing.json5')}`);
    assert.throws(() => loadConfigFile(dir, {}), (e: unknown) => e instanceof ConfigError && e.message === `cannot read config ${dir}: is a directory`);
    assert.throws(() => loadConfigFile('', {}), (e: unknown) => e instanceof ConfigError && e.message === 'no config given: pass a file or set CONTAINERPILOT');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('weakly typed sources (numbers) are read as strings and checked like any other', () => {
  const c = load('{jobs: [{name: "a", exec: "a"}, {name: "b", exec: "b", when: {source: [1, "a"], once: "healthy"}}]}');
  assert.deepEqual(c.jobs[1]!.when, { kind: 'event', sources: ['1', 'a'], event: 'healthy', mode: 'once', timeoutMs: 0 });
  assert.deepEqual(c.warnings, ['c.json5: jobs[1] ("b").when.source: "1" is not a job or watch in this config, so this job may never start']);
});

test('syntax error positions are in the rendered text, which the message says when lines moved', () => {
  const lines = (text: string, env: Record<string, string>) => {
    try {
      load(text, env);
    } catch (err) {
      return (err as ConfigError).errors;
    }
    return [];
  };
  assert.deepEqual(lines('{\n  jobs: [{name: "{{ .NAME }}" exec: "a"}]\n}', { NAME: 'x' }), [`c.json5:2:21: invalid character 'e'`]);
  assert.deepEqual(lines('{\n  jobs: [{{ .EXTRA }}{name: "a" exec: "a"}]\n}', { EXTRA: '\n\n' }), [`c.json5:4:12: invalid character 'e' (line in the rendered config)`]);
  // Template errors come from the template engine, already located in the original text.
  assert.deepEqual(lines('{jobs: [{name: "{{ .NAME "}]}', {}), ['c.json5:1:26: unterminated quoted string']);
});

test('a duration holding a newline is refused on one line, the value quoted with escapes', () => {
  assert.throws(
    () => load('{jobs: [{name: "a", exec: "x", timeout: "5s\\n"}]}'),
    (e: unknown) => e instanceof ConfigError && e.errors.length === 1 && e.errors[0] === 'c.json5: jobs[0] ("a").timeout: unknown unit "s\\n" in duration "5s\\n"' && !e.message.includes('\n'),
  );
  assert.deepEqual(parseGoDuration('1\u2028s'), { error: 'unknown unit "\u2028s" in duration "1\u2028s"' });
});

test('a key or value holding a newline is reported on one line', () => {
  assert.throws(
    () => load('{telemetry: {port: 9090, interfaces: ["static:127.0.0.1"], metrics: [{namespace: "\\n", subsystem: "", name: "x", help: "h", type: "counter"}]}}'),
    (e: unknown) => e instanceof ConfigError && e.errors.length > 0 && e.errors.every((l) => !/[\r\n]/.test(l)) && e.errors.some((l) => l.includes('\\n')),
  );
});
