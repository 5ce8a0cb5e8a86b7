/**
 * Configs ContainerPilot 3.8 runs that look like mistakes (checked against its binary): they
 * load, as they run there, with a warning naming the likely cause.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigText } from './index.js';

const F = 'c.json5';
const load = (text: string) => loadConfigText(text, { file: F, env: {} });

test('consul: "" (an unset variable) means the local agent, with a warning', () => {
  const c = load('{ consul: "", jobs: [{ name: "web", port: 80, exec: "web", health: { exec: "true", interval: 1, ttl: 5 } }] }');
  assert.equal(c.consul?.address, '', 'left to CONSUL_HTTP_ADDR, else 127.0.0.1:8500 (discovery/settings.ts)');
  assert.deepEqual(c.warnings, [`${F}: consul: "" names no agent (an unset variable?): using the local agent, CONSUL_HTTP_ADDR or 127.0.0.1:8500, as ContainerPilot does`]);
});

test('consul: ":8500" (no host) means the local agent on that port, with a warning', () => {
  const c = load('{ consul: ":8500", jobs: [{ name: "a", exec: "a" }] }');
  assert.equal(c.consul?.address, '127.0.0.1:8500');
  assert.deepEqual(c.warnings, [`${F}: consul: ":8500" has no host (an unset variable?): using the local agent 127.0.0.1:8500, as ContainerPilot does`]);
  const o = load('{ consul: { address: ":8600" }, jobs: [{ name: "a", exec: "a" }] }');
  assert.equal(o.consul?.address, '127.0.0.1:8600');
  assert.equal(o.warnings?.length, 1);
});

test('an explicitly empty job name: named after its executable, with a warning', () => {
  const c = load('{ jobs: [{ name: "", exec: "/bin/app --flag" }] }');
  assert.equal(c.jobs[0]?.name, '/bin/app');
  assert.deepEqual(c.warnings, [`${F}: jobs[0].name: is empty (an unset variable?): the job is named after its executable, "/bin/app" (ContainerPilot 3.8 refuses a blank name)`]);
  assert.deepEqual(load('{ jobs: [{ exec: "/bin/app" }] }').warnings, [], 'no name at all is the documented default: no warning');
});

test('a 3.x health block without a check loads (ContainerPilot 3.8 heartbeats it), with a warning', () => {
  const c = load('{ consul: "c:8500", jobs: [{ name: "web", port: 80, exec: "web", health: { interval: 1, ttl: 5 } }] }');
  assert.deepEqual(c.jobs[0]?.health?.check, { kind: 'none' });
  assert.equal(c.jobs[0]?.health?.intervalMs, 1000);
  assert.equal(c.warnings?.length, 1);
  assert.match(c.warnings![0]!, /^c\.json5: jobs\[0\] \("web"\)\.health: has no check \("exec", "http" or "tcp"\): as in ContainerPilot 3\.8, the service is heartbeated every interval/);
});

test('a 2.x service without "health" is always passing, as in 2.x: no check, no warning', () => {
  const c = load('{ consul: "c:8500", services: [{ name: "web", port: 80, poll: 2, ttl: 5 }] }');
  assert.deepEqual(c.jobs[0]?.health?.check, { kind: 'none' });
  assert.equal(c.jobs[0]?.health?.intervalMs, 2000);
  assert.deepEqual(c.warnings, []);
});

test('duplicate job names load, both jobs kept in order, with a warning (ContainerPilot 3.8 runs both)', () => {
  const c = load('{ jobs: [{ name: "a", exec: "one" }, { name: "a", exec: "two" }] }');
  assert.deepEqual(c.jobs.map((j) => [j.name, j.exec]), [['a', ['one']], ['a', ['two']]]);
  assert.equal(c.warnings?.length, 1);
  assert.match(c.warnings![0]!, /^c\.json5: jobs\[1\] \("a"\)\.name: duplicate job name "a" \(also jobs\[0\]\): both run, as in ContainerPilot/);
});
