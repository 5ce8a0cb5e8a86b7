/** `autopilot validate` and `autopilot migrate` as a user runs them: real processes, real files. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fixturePath } from '../../testing/config-fixtures.js';
import { cliPath } from '../../testing/paths.js';
import { loadConfigText } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'autopilot-config-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env } });
  assert.equal(r.error, undefined);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('validate: a good config prints ok with its counts', () => {
  const p = fixturePath('v3', 'every-field.json5');
  assert.deepEqual(run(['validate', p]), { code: 0, stdout: `ok: ${p} (9 jobs, 2 watches)\n`, stderr: '' });
  const one = file('one.json5', '{consul: "c:8500", jobs: [{name: "a", exec: "a"}], watches: [{name: "db", interval: 1}]}');
  assert.equal(run(['validate', one]).stdout, `ok: ${one} (1 job, 1 watch)\n`);
});

test('validate: a line separator inside a string is accepted, and nothing else is printed', () => {
  // JSON allows U+2028 and U+2029 in strings; the JSON5 parser would print a warning of its own.
  const p = file('separators.json5', '{consul: "c:8500", jobs: [{name: "a", exec: ["echo", "one\u2028two\u2029three"]}]}');
  assert.deepEqual(run(['validate', p]), { code: 0, stdout: `ok: ${p} (1 job, 0 watches)\n`, stderr: '' });
});

test('validate: every error is printed, one line each, exit 2', () => {
  const p = file('bad.json5', '{consul: "c:8500", jobs: [{name: "web", port: 80, health: {exec: "c", interval: 0, ttl: 5}, restarts: "x"}], logging: {level: "loud"}}');
  const r = run(['validate', p]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    [
      `error: ${p}: logging.level: "loud" is not a log level; expected DEBUG, INFO, WARN, ERROR, FATAL or PANIC`,
      `error: ${p}: jobs[0] ("web").restarts: expected a non-negative integer, "unlimited" or "never", got the string "x"`,
      `error: ${p}: jobs[0] ("web").health.interval: must be >= 1, got 0`,
      '',
    ].join('\n'),
  );
});

test('validate: syntax errors point at line and column', () => {
  const p = file('syntax.json5', '{\n  jobs: [\n    {name: "a" exec: "a"}\n  ]\n}\n');
  assert.deepEqual(run(['validate', p]), { code: 2, stdout: '', stderr: `error: ${p}:3:16: invalid character 'e'\n` });
});

test('validate: a missing file, and $CONTAINERPILOT when no file is given', () => {
  const missing = join(dir, 'nope.json5');
  assert.deepEqual(run(['validate', missing]), { code: 2, stdout: '', stderr: `error: config not found: ${missing}\n` });
  const p = file('env.json5', '{jobs: [{name: "{{ .NAME }}", exec: "a"}]}');
  assert.deepEqual(run(['validate'], { CONTAINERPILOT: p, NAME: 'worker' }), { code: 0, stdout: `ok: ${p} (1 job, 0 watches)\n`, stderr: '' });
  assert.deepEqual(run(['validate']), { code: 2, stdout: '', stderr: 'error: no config given: pass a file or set CONTAINERPILOT\n' });
});

test('validate: warnings go to stderr and do not fail', () => {
  const p = fixturePath('v3', 'misspelled-hooks.json5');
  const r = run(['validate', p]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `ok: ${p} (3 jobs, 0 watches)\n`);
  assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('warning: ')).length, 2);
});

test('migrate: stdout, -o, refusing to overwrite, --force, and an atomic write', () => {
  const v2 = fixturePath('v2', 'proxy-consul.json');
  const toStdout = run(['migrate', v2]);
  assert.equal(toStdout.code, 0);
  assert.match(toStdout.stdout, /^\/\/ Translated from a ContainerPilot 2\.x config/);

  const out = join(dir, 'nginx.json5');
  const first = run(['migrate', v2, '-o', out]);
  assert.deepEqual(first, { code: 0, stdout: '', stderr: `wrote ${out} (3 jobs, 1 watch)\n` });
  assert.equal(readFileSync(out, 'utf8'), toStdout.stdout);
  const v2Model = loadConfigText(readFileSync(v2, 'utf8'), { file: v2, env: {} });
  const v3Model = loadConfigText(readFileSync(out, 'utf8'), { file: out, env: {} });
  assert.deepEqual(v3Model.jobs, v2Model.jobs);
  assert.deepEqual(v3Model.watches, v2Model.watches);

  writeFileSync(out, 'mine');
  assert.deepEqual(run(['migrate', v2, '--out', out]), { code: 2, stdout: '', stderr: `error: ${out} already exists (use --force to overwrite it)\n` });
  assert.equal(readFileSync(out, 'utf8'), 'mine');
  assert.equal(run(['migrate', v2, '-o', out, '--force']).code, 0);
  assert.equal(readFileSync(out, 'utf8'), toStdout.stdout);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left behind');
});

test('migrate: a broken or etcd 2.x config writes nothing and exits 2', () => {
  const etcd = fixturePath('v2', 'etcd.json');
  const out = join(dir, 'etcd.json5');
  assert.deepEqual(run(['migrate', etcd, '-o', out]), {
    code: 2,
    stdout: '',
    stderr: `error: ${etcd}: etcd: the etcd discovery backend of ContainerPilot 2.x is not supported; use "consul"\n`,
  });
  assert.ok(!readdirSync(dir).includes('etcd.json5'));
  const v3 = file('already.json5', '{jobs: []}');
  const r = run(['migrate', v3]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a ContainerPilot 2\.x config/);
});
