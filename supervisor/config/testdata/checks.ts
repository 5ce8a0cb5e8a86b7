// Test support: what every ContainerPilot config must do with the loader, as assertions. Used by
// the unit tests on our fixtures (compat.test.ts, migrate.test.ts) and by `npm run compat` on a
// folder of real configs, so both hold the corpus to the same rules.
import assert from 'node:assert/strict';
import JSON5 from 'json5';
import { ConfigError, loadConfigText, type Config } from '../index.js';
import { migrateText } from '../migrate.js';

/** A loaded config has jobs or telemetry, every job a name, and every advertised job a health check. */
export function expectUsableConfig(config: Config): void {
  assert.ok(config.jobs.length > 0 || config.telemetry, 'the config has jobs or telemetry');
  for (const job of config.jobs) {
    assert.ok(job.name.length > 0);
    if (job.service) assert.ok(job.health, `${job.name} is advertised so it has a health check`);
  }
}

/** Loading fails with one error naming the file, the first job and the field. */
export function expectRejected(load: () => unknown, file: string, job: string, field: string): void {
  assert.throws(load, (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.errors.length, 1);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(err.errors[0]!, new RegExp(`^${escape(file)}: jobs\\[0\\] \\("${escape(job)}"\\)\\.${escape(field)}: `));
    return true;
  });
}

/** A 2.x config with an etcd backend is refused in one line. */
export function expectEtcdRefused(load: () => unknown, file: string): void {
  assert.throws(load, (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.errors, [`${file}: etcd: the etcd discovery backend of ContainerPilot 2.x is not supported; use "consul"`]);
    return true;
  });
}

/**
 * The v3 model of a 2.x config (`text`) keeps its pieces: services become advertised jobs
 * (poll -> interval, ttl, waiting for preStart), backends become watches with an onChange job,
 * coprocesses keep their restarts.
 */
export function expectV2Translated(text: string, c: Config): void {
  const raw = JSON.parse(text) as Record<string, unknown[] | undefined>;
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
}

const withoutWarnings = (c: Config): Config => {
  const { warnings: _w, ...rest } = c;
  return rest;
};

/** `migrate` writes commented v3 JSON5 that loads into the very same model as the 2.x text. */
export function migrateRoundTrip(text: string, file: string, env: Record<string, string>) {
  const migrated = migrateText(text, { file, env, outFile: 'new.json5' });
  const before = loadConfigText(text, { file, env });
  const after = loadConfigText(migrated.text, { file: 'new.json5', env });
  assert.deepEqual(withoutWarnings(after), withoutWarnings(before));
  return { migrated, after, tree: JSON5.parse(migrated.text) as Record<string, unknown> };
}

/** A whole 2.x file migrated: the same model, no 2.x key left, one job per v3 job, each service's origin said in a comment. */
export function expectMigrates(text: string, file: string, env: Record<string, string>): void {
  const { migrated, after, tree } = migrateRoundTrip(text, file, env);
  assert.ok(migrated.text.startsWith('// Translated from a ContainerPilot 2.x config by `autopilot migrate`.\n'));
  for (const key of ['services', 'backends', 'coprocesses', 'tasks', 'preStart', 'preStop', 'postStop']) assert.ok(!(key in tree), `no 2.x key ${key}`);
  assert.equal(migrated.jobs, after.jobs.length);
  if (((JSON.parse(text) as { services?: unknown[] }).services ?? []).length > 0) {
    assert.match(migrated.text, /\n {4}\/\/ from services\[0\] \("[a-z][a-z0-9-]*"\): advertised on its port, health checked every "poll" seconds\n/);
  }
}
