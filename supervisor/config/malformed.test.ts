/**
 * A corpus of malformed configs, each with the exact error lines it must produce: every error
 * names the file and either line:col (syntax) or the field path, and says what is expected.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfigText } from './index.js';

const F = 'c.json5';
const svc = (extra: string) => `{consul: "localhost:8500", jobs: [{name: "web", port: 80, exec: "web", health: {exec: "check", interval: 5, ttl: 10}, ${extra}}]}`;
const job = (body: string) => `{jobs: [{name: "app", exec: "app", ${body}}]}`;

const cases: Array<[string, string, string[]]> = [
  ['syntax: missing colon', '{jobs []}', [`${F}:1:7: invalid character '['`]],
  ['syntax: unterminated object', '{jobs: [', [`${F}:1:9: invalid end of input`]],
  ['syntax: double comma', '{jobs: [],,}', [`${F}:1:11: invalid character ','`]],
  ['syntax: error on a later line', '{\n  consul: "c:8500",\n  jobs: [\n    {name: "a" exec: "a"}\n  ]\n}', [`${F}:4:16: invalid character 'e'`]],
  ['empty file', '', [`${F}:1:1: invalid end of input`]],
  ['top level is null', 'null', [`${F}: expected an object at the top level (with "jobs", "consul", ...)`]],
  ['top level is an array', '[{name: "a"}]', [`${F}: expected an object at the top level (with "jobs", "consul", ...)`]],
  ['unknown top-level key', '{jobz: []}', [`${F}: jobz: unknown key (did you mean "jobs"?); expected one of consul, logging, stopTimeout, jobs, watches, telemetry, control`]],
  ['jobs not an array', '{jobs: {name: "a"}}', [`${F}: jobs: expected an array of jobs, got an object`]],
  ['job not an object', '{jobs: ["app"]}', [`${F}: jobs[0]: expected an object, got the string "app"`]],
  ['unknown job key', job('cmd: "x"'), [`${F}: jobs[0] ("app").cmd: unknown key; expected one of name, exec, port, initial_status, interfaces, tags, consul, health, timeout, restarts, stopTimeout, when, logging`]],
  ['job without name or exec', '{jobs: [{restarts: 1}]}', [`${F}: jobs[0].name: is required (a job without "exec" needs a name)`]],
  ['exec empty string', job('exec: ""').replace('exec: "app", ', ''), [`${F}: jobs[0] ("app").exec: must name a command (got an empty command)`]],
  ['exec only spaces (split as ContainerPilot does, nothing is left)', `{jobs: [{name: "app", exec: "  \\t "}]}`, [`${F}: jobs[0] ("app").exec: must name a command (got an empty command)`]],
  ['exec wrong type', `{jobs: [{name: "app", exec: 42}]}`, [`${F}: jobs[0] ("app").exec: expected a command string or an array of strings, got number 42`]],
  ['exec array element object', `{jobs: [{name: "app", exec: ["a", {}]}]}`, [`${F}: jobs[0] ("app").exec[1]: expected a string, got an object`]],
  // (duplicate job names load with a warning, as ContainerPilot runs them: accepts.test.ts)
  ['once and each', job('when: {source: "db", once: "healthy", each: "healthy"}'), [`${F}: jobs[0] ("app").when: "once" and "each" are exclusive`]],
  ['interval with source', job('when: {interval: "5s", source: "db"}'), [`${F}: jobs[0] ("app").when: "interval" cannot be combined with "source" (an interval job runs on a timer)`]],
  ['interval with once', job('when: {interval: "5s", once: "startup"}'), [`${F}: jobs[0] ("app").when: "interval" cannot be combined with "once" (an interval job runs on a timer)`]],
  ['interval too small', job('when: {interval: "1ns"}'), [`${F}: jobs[0] ("app").when.interval: "1ns" cannot be less than 1ms`]],
  ['interval negative', job('when: {interval: "-1s"}'), [`${F}: jobs[0] ("app").when.interval: "-1s" cannot be less than 1ms`]],
  ['interval bad duration', job('when: {interval: "xx"}'), [`${F}: jobs[0] ("app").when.interval: invalid duration "xx"`]],
  ['interval missing unit', job('when: {interval: "1.5"}'), [`${F}: jobs[0] ("app").when.interval: missing unit in duration "1.5"`]],
  ['interval fractional number', job('when: {interval: 1.5}'), [`${F}: jobs[0] ("app").when.interval: 1.5 is not a whole number of seconds; use a duration string such as "1500ms"`]],
  ['unknown event', job('when: {source: "db", once: "ready"}'), [`${F}: jobs[0] ("app").when.once: "ready" is not an event; expected one of exitSuccess, exitFailed, stopping, stopped, healthy, unhealthy, changed, timerExpired, enterMaintenance, exitMaintenance, error, quit, startup, shutdown, signal`]],
  ['source without event', job('when: {source: "db"}'), [`${F}: jobs[0] ("app").when: needs "once" or "each" naming the event from "db" that starts the job`]],
  ['event without source', job('when: {each: "healthy"}'), [`${F}: jobs[0] ("app").when.source: is required with "each: healthy" (the job or watch.<name> that emits it)`]],
  ['empty when', job('when: {}'), [`${F}: jobs[0] ("app").when: needs "interval", or "source" with "once" or "each"`]],
  ['unknown when key', job('when: {source: "db", once: "healthy", after: "x"}'), [`${F}: jobs[0] ("app").when.after: unknown key; expected one of interval, source, once, each, timeout, all`]],
  ['empty source in array', job('when: {source: ["db", ""], once: "healthy"}'), [`${F}: jobs[0] ("app").when.source[1]: must not be empty`]],
  ['bad when.timeout', job('when: {source: "db", once: "healthy", timeout: "soon"}'), [`${F}: jobs[0] ("app").when.timeout: invalid duration "soon"`]],
  ['restarts invalid string', job('restarts: "always"'), [`${F}: jobs[0] ("app").restarts: expected a non-negative integer, "unlimited" or "never", got the string "always"`]],
  ['restarts negative', job('restarts: -1'), [`${F}: jobs[0] ("app").restarts: expected a non-negative integer, "unlimited" or "never", got number -1`]],
  ['restarts negative string', job('restarts: "-1"'), [`${F}: jobs[0] ("app").restarts: expected a non-negative integer, "unlimited" or "never", got the string "-1"`]],
  ['restarts unlimited with each', job('restarts: "unlimited", when: {source: "db", each: "healthy"}'), [`${F}: jobs[0] ("app").restarts: "unlimited" may not be used with "when.each": every event would start another process that restarts forever`]],
  ['job timeout too small', job('timeout: "1ns"'), [`${F}: jobs[0] ("app").timeout: "1ns" cannot be less than 1ms`]],
  ['job timeout bad', job('timeout: "xx"'), [`${F}: jobs[0] ("app").timeout: invalid duration "xx"`]],
  ['stopTimeout bad unit', job('stopTimeout: "5 parsecs"'), [`${F}: jobs[0] ("app").stopTimeout: unknown unit " parsecs" in duration "5 parsecs"`]],
  ['port without health', '{consul: "c:8500", jobs: [{name: "web", port: 80}]}', [`${F}: jobs[0] ("web").health: is required when "port" is set (the health check keeps the Consul registration alive)`]],
  ['port without consul', '{jobs: [{name: "web", port: 80, health: {exec: "c", interval: 1, ttl: 2}}]}', [`${F}: jobs[0] ("web").port: a job with a port is advertised in Consul, but the config has no top-level "consul"`]],
  ['port out of range', '{consul: "c:8500", jobs: [{name: "web", port: 70000, health: {exec: "c", interval: 1, ttl: 2}}]}', [`${F}: jobs[0] ("web").port: must be between 0 and 65535, got 70000`]],
  ['port not a number', '{consul: "c:8500", jobs: [{name: "web", port: "http", health: {exec: "c", interval: 1, ttl: 2}}]}', [`${F}: jobs[0] ("web").port: expected an integer, got the string "http"`]],
  ['service name with underscore', '{consul: "c:8500", jobs: [{name: "my_web", port: 80, health: {exec: "c", interval: 1, ttl: 2}}]}', [`${F}: jobs[0] ("my_web").name: "my_web" must start with a lower-case letter and contain only letters, digits and "-" (at least 2 characters), as Consul service names require`]],
  ['health without ttl', '{consul: "c:8500", jobs: [{name: "web", port: 80, health: {exec: "c", interval: 1}}]}', [`${F}: jobs[0] ("web").health.ttl: is required (seconds a passing check stays valid in Consul) when the job has a port`]],
  ['health without interval', '{consul: "c:8500", jobs: [{name: "web", port: 80, health: {exec: "c", ttl: 5}}]}', [`${F}: jobs[0] ("web").health.interval: is required (seconds between checks) when the job has a port`]],
  ['health interval zero', svc('').replace('interval: 5', 'interval: 0'), [`${F}: jobs[0] ("web").health.interval: must be >= 1, got 0`]],
  ['health interval as duration string', svc('').replace('interval: 5', 'interval: "5s"'), [`${F}: jobs[0] ("web").health.interval: expected an integer, got the string "5s"`]],
  // (a health block without a check loads, as in ContainerPilot 3.8: accepts.test.ts)
  ['health with two checks', '{consul: "c:8500", jobs: [{name: "web", port: 80, health: {exec: "c", http: "http://127.0.0.1/", interval: 1, ttl: 2}}]}', [`${F}: jobs[0] ("web").health: has "exec" and "http"; exactly one check is allowed`]],
  ['health http not a URL', '{consul: "c:8500", jobs: [{name: "web", port: 80, health: {http: "localhost/health", interval: 1, ttl: 2}}]}', [`${F}: jobs[0] ("web").health.http: "localhost/health" is not an http:// or https:// URL`]],
  ['health tcp without port', '{consul: "c:8500", jobs: [{name: "web", port: 80, health: {tcp: "127.0.0.1", interval: 1, ttl: 2}}]}', [`${F}: jobs[0] ("web").health.tcp: "127.0.0.1" is not "host:port"`]],
  ['health unknown key', svc('').replace('ttl: 10', 'ttl: 10, retries: 3'), [`${F}: jobs[0] ("web").health.retries: unknown key; expected one of exec, http, tcp, interval, ttl, timeout, logging`]],
  ['initial_status invalid on a service', svc('initial_status: "ok"'), [`${F}: jobs[0] ("web").initial_status: must be one of "passing", "warning" or "critical", got "ok"`]],
  ['enableTagOverride not a bool', svc('consul: {enableTagOverride: "yes"}'), [`${F}: jobs[0] ("web").consul.enableTagOverride: expected true or false, got the string "yes"`]],
  ['deregisterCriticalServiceAfter bad', svc('consul: {deregisterCriticalServiceAfter: "later"}'), [`${F}: jobs[0] ("web").consul.deregisterCriticalServiceAfter: invalid duration "later" (expected a Consul duration such as "10m")`]],
  ['job consul unknown key', svc('consul: {meta: {}}'), [`${F}: jobs[0] ("web").consul.meta: unknown key; expected one of enableTagOverride, deregisterCriticalServiceAfter`]],
  ['bad interface spec', svc('interfaces: ["eth0", "eth0[x]"]'), [`${F}: jobs[0] ("web").interfaces[1]: "eth0[x]" is not an interface spec (eth0, eth0[1], eth0:inet6, inet, inet6, a CIDR such as 10.0.0.0/8, or static:<ip>)`]],
  ['bad static interface', svc('interfaces: "static:999.1.1.1"'), [`${F}: jobs[0] ("web").interfaces: "static:999.1.1.1" is not an interface spec (eth0, eth0[1], eth0:inet6, inet, inet6, a CIDR such as 10.0.0.0/8, or static:<ip>)`]],
  ['tags not strings', svc('tags: [["a"]]'), [`${F}: jobs[0] ("web").tags[0]: expected a string, got an array`]],
  ['job logging raw not bool', job('logging: {raw: "sometimes"}'), [`${F}: jobs[0] ("app").logging.raw: expected true or false, got the string "sometimes"`]],
  ['watch without consul', '{watches: [{name: "db", interval: 5}]}', [`${F}: watches: watches query Consul, but the config has no top-level "consul"`]],
  ['watch without interval', '{consul: "c:8500", watches: [{name: "db"}]}', [`${F}: watches[0] ("db").interval: is required (seconds between Consul queries)`]],
  ['watch without name', '{consul: "c:8500", watches: [{interval: 5}]}', [`${F}: watches[0].name: is required`]],
  ['watch bad name', '{consul: "c:8500", watches: [{name: "my db", interval: 5}]}', [`${F}: watches[0] ("my db").name: "my db" must start with a lower-case letter and contain only letters, digits and "-" (at least 2 characters), as Consul service names require`]],
  ['watch interval zero', '{consul: "c:8500", watches: [{name: "db", interval: 0}]}', [`${F}: watches[0] ("db").interval: must be >= 1, got 0`]],
  ['duplicate watches', '{consul: "c:8500", watches: [{name: "db", interval: 5}, {name: "db", interval: 5, tag: "primary"}]}', [`${F}: watches[1] ("db").name: duplicate watch name "db" (also watches[0]); give one a different name and set "service"`]],
  ['kv watch with tag', '{consul: "c:8500", watches: [{name: "flags", kv: "app/flags", tag: "x", interval: 5}]}', [`${F}: watches[0] ("flags").tag: cannot be used with "kv" (a KV watch has no service)`]],
  ['prefix without kv', '{consul: "c:8500", watches: [{name: "db", prefix: true, interval: 5}]}', [`${F}: watches[0] ("db").prefix: only applies to a "kv" watch`]],
  ['watch unknown key', '{consul: "c:8500", watches: [{name: "db", interval: 5, datacenter: "east"}]}', [`${F}: watches[0] ("db").datacenter: unknown key; expected one of name, interval, tag, dc, service, kv, prefix, blocking`]],
  ['watch blocking not a bool', '{consul: "c:8500", watches: [{interval: 5, blocking: 0}]}', [`${F}: watches[0].name: is required`, `${F}: watches[0].blocking: expected true or false, got number 0`]],
  ['named watch blocking a word', '{consul: "c:8500", watches: [{name: "db", interval: 5, blocking: "never"}]}', [`${F}: watches[0] ("db").blocking: expected true or false, got the string "never"`]],
  ['consul bad address', '{consul: "consul:port"}', [`${F}: consul: "consul:port" is not "host:port" (for example "localhost:8500")`]],
  ['consul a port number', '{consul: 8500}', [`${F}: consul: expected "host:port" (a string, e.g. "consul:8500") or an object { address, scheme, token, tls }, got number 8500`]],
  ['consul a list', '{consul: ["c:8500"]}', [`${F}: consul: expected "host:port" (a string, e.g. "consul:8500") or an object { address, scheme, token, tls }, got an array`]],
  ['consul object without address', '{consul: {scheme: "https"}}', [`${F}: consul.address: is required (host:port of the Consul agent)`]],
  ['consul bad scheme', '{consul: {address: "c:8500", scheme: "ftp"}}', [`${F}: consul.scheme: expected "http" or "https", got "ftp"`]],
  ['consul tls unknown key', '{consul: {address: "c:8500", tls: {cert: "x"}}}', [`${F}: consul.tls.cert: unknown key; expected one of cafile, capath, clientcert, clientkey, servername, verify`]],
  ['consul tls verify not bool', '{consul: {address: "c:8500", tls: {verify: "no"}}}', [`${F}: consul.tls.verify: expected true or false, got the string "no"`]],
  ['logging bad level', '{logging: {level: "LOUD"}}', [`${F}: logging.level: "LOUD" is not a log level; expected DEBUG, INFO, WARN, ERROR, FATAL or PANIC`]],
  ['logging bad format', '{logging: {format: "xml"}}', [`${F}: logging.format: "xml" is not a log format; expected default, text or json`]],
  ['logging unknown key', '{logging: {file: "/tmp/x"}}', [`${F}: logging.file: unknown key; expected one of level, format, output`]],
  ['stopTimeout bad', '{stopTimeout: "forever"}', [`${F}: stopTimeout: invalid duration "forever"`]],
  ['control socket empty', '{control: {socket: ""}}', [`${F}: control.socket: must not be empty`]],
  ['control unknown key', '{control: {path: "/tmp/s"}}', [`${F}: control.path: unknown key; expected one of socket`]],
  ['telemetry bad metric type', '{telemetry: {metrics: [{name: "hits", help: "h", type: "meter"}]}}', [`${F}: telemetry.metrics[0].type: "meter" is not a metric type; expected one of counter, gauge, histogram, summary`]],
  ['telemetry metric without name', '{telemetry: {metrics: [{help: "h", type: "counter"}]}}', [`${F}: telemetry.metrics[0].name: is required`]],
  ['telemetry bad metric name', '{telemetry: {metrics: [{namespace: "my-app", name: "hits", help: "h", type: "counter"}]}}', [`${F}: telemetry.metrics[0]: "my-app_hits" is not a valid Prometheus metric name (letters, digits, "_" and ":", not starting with a digit)`]],
  ['telemetry duplicate metrics', '{telemetry: {metrics: [{name: "hits", help: "h", type: "counter"}, {name: "hits", help: "h", type: "gauge"}]}}', [`${F}: telemetry.metrics[1]: duplicate metric "hits" (also telemetry.metrics[0])`]],
  ['telemetry port zero', '{telemetry: {port: 0}}', [`${F}: telemetry.port: must be between 1 and 65535, got 0`]],
  ['inherited property name as a level', '{logging: {level: "constructor"}}', [`${F}: logging.level: "constructor" is not a log level; expected DEBUG, INFO, WARN, ERROR, FATAL or PANIC`]],
  ['inherited property name as a unit', job('when: {interval: "5constructor"}'), [`${F}: jobs[0] ("app").when.interval: unknown unit "constructor" in duration "5constructor"`]],
  ['inherited property name as a key', job('constructor: 1'), [`${F}: jobs[0] ("app").constructor: unknown key; expected one of name, exec, port, initial_status, interfaces, tags, consul, health, timeout, restarts, stopTimeout, when, logging`]],
  ['v2 etcd', '{etcd: {endpoints: ["http://127.0.0.1:4001"]}, services: []}', [`${F}: etcd: the etcd discovery backend of ContainerPilot 2.x is not supported; use "consul"`]],
  ['v2 mixed with v3', '{services: [], jobs: []}', [`${F}: mixes ContainerPilot 2.x keys (services) with 3.x keys (jobs); use one format`]],
  ['v2 unknown service key', '{consul: "c:8500", services: [{name: "app", port: 80, health: "c", poll: 1, ttl: 2, check: "x"}]}', [`${F}: services[0] ("app").check: unknown key; expected one of name, port, health, poll, ttl, timeout, interfaces, tags, consul, initial_status`]],
  // Errors in a 2.x config name the user's own fields, not the 3.x translation's.
  ['v2 service without ttl', '{consul: "c:8500", services: [{name: "app", port: 80, health: "c", poll: 1}]}', [`${F}: services[0] ("app").ttl: is required (seconds a passing check stays valid in Consul) when the job has a port`]],
  ['v2 second service with an empty name', '{consul: "c:8500", services: [{name: "web", port: 80, poll: 1, ttl: 5}, {name: "", port: 81, health: "c", poll: 1, ttl: 5}]}', [
    `${F}: services[1].name: is required (a job without "exec" needs a name)`,
    `${F}: services[1].name: "" must start with a lower-case letter and contain only letters, digits and "-" (at least 2 characters), as Consul service names require`,
  ]],
  ['v2 service poll 0', '{consul: "c:8500", services: [{name: "web", port: 80, health: "c", poll: 0, ttl: 5}]}', [`${F}: services[0] ("web").poll: must be >= 1, got 0`]],
  ['v2 backend poll not a number', '{consul: "c:8500", backends: [{name: "db", poll: "x", onChange: "c"}]}', [`${F}: backends[0] ("db").poll: expected an integer, got the string "x"`]],
  ['v2 task frequency too small', '{tasks: [{name: "t", command: "c", frequency: "1ns"}]}', [`${F}: tasks[0] ("t").frequency: "1ns" cannot be less than 1ms`]],
  ['v2 backend name of the wrong type, with a bad onChange', '{consul: "c:8500", backends: [{name: {}, poll: 1, onChange: ["c", []]}]}', [
    `${F}: backends[0].onChange[1]: expected a string, got an array`,
    `${F}: backends[0].name: expected a string, got an object`,
  ]],
  ['v2 sensor check of the wrong type', '{telemetry: {sensors: [{name: "up", help: "h", type: "gauge", poll: 5, check: 7}]}}', [`${F}: telemetry.sensors[0] ("up").check: expected a command string or an array of strings, got number 7`]],
  ['v2 preStop of the wrong type', '{consul: "c:8500", command: "app", preStop: {}}', [`${F}: preStop: expected a command string or an array of strings, got an object`]],
  ['v2 backend without poll', '{consul: "c:8500", backends: [{name: "db", onChange: "x"}]}', [`${F}: backends[0] ("db").poll: is required`]],
];

for (const [name, text, expected] of cases) {
  test(`malformed: ${name}`, () => {
    let caught: unknown;
    try {
      loadConfigText(text, { file: F, env: {} });
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof ConfigError, `expected a ConfigError for ${text}`);
    assert.deepEqual(caught.errors, expected);
    assert.equal(caught.message, expected.join('\n'));
  });
}

test('the corpus holds at least 40 malformed configs', () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
});

test('all errors of a config are reported together, each with its field path', () => {
  const text = `{
    consul: "localhost:8500",
    jobs: [
      {name: "web", port: 80, exec: "web", health: {exec: "check", interval: 5}, restarts: "often"},
      {name: "task", exec: "t", when: {interval: "5s", each: "changed"}},
    ],
    watches: [{name: "db"}],
    logging: {level: "chatty"},
  }`;
  let caught: unknown;
  try {
    loadConfigText(text, { file: F, env: {} });
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError);
  assert.deepEqual([...caught.errors].sort(), [
    `${F}: jobs[0] ("web").health.ttl: is required (seconds a passing check stays valid in Consul) when the job has a port`,
    `${F}: jobs[0] ("web").restarts: expected a non-negative integer, "unlimited" or "never", got the string "often"`,
    `${F}: jobs[1] ("task").when: "interval" cannot be combined with "each" (an interval job runs on a timer)`,
    `${F}: logging.level: "chatty" is not a log level; expected DEBUG, INFO, WARN, ERROR, FATAL or PANIC`,
    `${F}: watches[0] ("db").interval: is required (seconds between Consul queries)`,
  ]);
});
