/** Warnings where ContainerPilot hangs silently, and the type errors it would let through. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cliPath } from '../../testing/paths.js';
import { Supervisor, TempDir } from '../../testing/supervisor.js';
import { ConfigError, loadConfigText } from './index.js';

const load = (text: string) => loadConfigText(text, { file: 'c.json5', env: {} });

function errorsOf(text: string): string[] {
  try {
    load(text);
  } catch (e) {
    if (e instanceof ConfigError) return e.errors;
    throw e;
  }
  assert.fail('expected a ConfigError');
}

const RING = `{jobs: [
  {name: "a", exec: "true", when: {source: "b", once: "healthy"}},
  {name: "b", exec: "true", when: {source: "c", once: "exitSuccess"}},
  {name: "c", exec: "true", when: {source: "a", each: "exitSuccess"}},
  {name: "d", exec: "true"},
]}`;
const RING_WARNING = 'c.json5: jobs[0] ("a").when.source: "when" cycle "a" -> "b" -> "c" -> "a" (each waits on the next): none of them can start, and ContainerPilot hangs here without a word';

test('a when cycle of two jobs is a warning naming them in wait order', () => {
  const c = load('{jobs: [{name: "x", exec: "true"}, {name: "a", exec: "true", when: {source: "b", once: "healthy"}}, {name: "b", exec: "true", when: {source: "a", once: "healthy"}}]}');
  assert.equal(c.jobs.length, 3);
  assert.deepEqual(c.warnings, ['c.json5: jobs[1] ("a").when.source: "when" cycle "a" -> "b" -> "a" (each waits on the next): none of them can start, and ContainerPilot hangs here without a word']);
});

test('all: true makes every source a hard wait: a cycle through any of them is a warning', () => {
  const c = load('{consul: "localhost:8500", jobs: [{name: "a", exec: "true", when: {source: ["watch.xy", "b"], once: "healthy", all: true}}, {name: "b", exec: "true", when: {source: "a", once: "healthy"}}], watches: [{name: "xy", interval: 5}]}');
  assert.deepEqual(c.warnings, ['c.json5: jobs[0] ("a").when.source: "when" cycle "a" -> "b" -> "a" (each waits on the next): none of them can start, and ContainerPilot hangs here without a word']);
  const any = load('{consul: "localhost:8500", jobs: [{name: "a", exec: "true", when: {source: ["watch.xy", "b"], once: "healthy"}}, {name: "b", exec: "true", when: {source: "a", once: "healthy"}}], watches: [{name: "xy", interval: 5}]}');
  assert.deepEqual(any.warnings, [], 'without all, watch.xy alone can start a');
});

test('a when cycle of three jobs is one warning, in wait order', () => {
  assert.deepEqual(load(RING).warnings, [RING_WARNING]);
});

test('no cycle warning for a chain, for stopping/stopped hooks, or for a job with another source', () => {
  const chain = load('{jobs: [{name: "a", exec: "true", when: {source: "b", once: "healthy"}}, {name: "b", exec: "true"}]}');
  assert.deepEqual(chain.warnings, []);
  // A job that never started still emits stopping/stopped at shutdown, so this ring ends.
  const hooks = load('{jobs: [{name: "a", exec: "true", when: {source: "b", once: "stopped"}}, {name: "b", exec: "true", when: {source: "a", once: "healthy"}}]}');
  assert.deepEqual(hooks.warnings, []);
  const either = load('{jobs: [{name: "a", exec: "true", when: {source: ["b", "SIGHUP"], once: "signal"}}, {name: "b", exec: "true", when: {source: "a", once: "exitSuccess"}}]}');
  assert.deepEqual(either.warnings, []);
});

test('a when.source nothing emits is warned about with the nearest job as did-you-mean', () => {
  const c = load('{jobs: [{name: "database", exec: "true"}, {name: "app", exec: "true", when: {source: "databse", once: "healthy"}}]}');
  assert.deepEqual(c.warnings, ['c.json5: jobs[1] ("app").when.source: "databse" is not a job or watch in this config, so this job may never start (did you mean "database"?)']);
  const sig = load('{jobs: [{name: "app", exec: "true", when: {source: "SIGUSR1", each: "signal"}}]}');
  assert.deepEqual(sig.warnings, ['c.json5: jobs[0] ("app").when.source: "SIGUSR1" is not a job or watch in this config, so this job may never start (did you mean "SIGUSR2"?)']);
});

test('every source ContainerPilot emits is known: jobs, watch.<name>, global, signals, containerpilot', () => {
  const c = load(`{consul: "c:8500", telemetry: {port: 9090}, watches: [{name: "db", interval: 5}], jobs: [
    {name: "a", exec: "true"},
    {name: "b", exec: "true", when: {source: "a", once: "healthy"}},
    {name: "c", exec: "true", when: {source: "watch.db", each: "changed"}},
    {name: "d", exec: "true", when: {source: "global", once: "shutdown"}},
    {name: "e", exec: "true", when: {source: "SIGHUP", each: "signal"}},
    {name: "f", exec: "true", when: {source: "SIGUSR2", each: "signal"}},
    {name: "g", exec: "true", when: {source: "containerpilot", once: "healthy"}},
  ]}`);
  assert.deepEqual(c.warnings, []);
});

test('name: 5 and a numeric consul token are type errors naming the field; numbers in exec arrays are read as ContainerPilot reads them', () => {
  assert.deepEqual(errorsOf('{consul: {address: "c:8500", token: 123}, jobs: [{name: 5, exec: "true"}]}'), [
    'c.json5: consul.token: expected a string, got number 123',
    'c.json5: jobs[0].name: expected a string, got number 5',
  ]);
  // ContainerPilot formats each exec element with %v, so a number is an argument.
  assert.deepEqual(load('{jobs: [{name: "a", exec: ["sleep", 5]}]}').jobs[0]!.exec, ['sleep', '5']);
  assert.deepEqual(errorsOf('{jobs: [{name: "a", exec: ["sleep", {s: 5}]}]}'), ['c.json5: jobs[0] ("a").exec[1]: expected a string, got an object']);
});

test('validate prints the cycle warning and exits 0; run logs it at start', async (t) => {
  const dir = new TempDir();
  const config = dir.config('cp.json5', RING.replace('{name: "d", exec: "true"}', '{name: "d", exec: ["sh", "-c", "echo d-up; exec sleep 60"]}'));
  const v = spawnSync(process.execPath, [cliPath, 'validate', config], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stderr, `warning: ${RING_WARNING.replace('c.json5', config)}\n`);
  const cp = new Supervisor(['run', '--config', config], { env: { CONTAINERPILOT: undefined } });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  await cp.waitFor('d-up');
  assert.ok(cp.output.includes(RING_WARNING.replace('c.json5', config)), cp.output);
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
});
