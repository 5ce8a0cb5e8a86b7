/**
 * The CLI surface of `autopilot run`: init mode (`-- cmd`), config sources, --template, errors,
 * and ContainerPilot's single-dash flags.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { versionText } from '../../testing/build-version.js';
import { Supervisor, TempDir } from '../../testing/supervisor.js';

const noEnv = { CONTAINERPILOT: undefined };

test('init mode: runs the command with its output untouched and exits with its code', async () => {
  const cp = new Supervisor(['run', '--', 'sh', '-c', 'echo "out $0"; echo err >&2; exit 7'], { env: noEnv });
  const exit = await cp.waitExit().finally(() => cp.dispose());
  assert.equal(exit.code, 7, cp.output);
  assert.equal(cp.stdout, 'out sh\n', 'stdout is the command\'s alone');
  assert.match(cp.stderr, /^err$/m);
  assert.match(cp.stderr, /sh exited with error: exit status 7/);
});

test('init mode: SIGTERM, SIGINT and SIGHUP are forwarded; the exit code is what the command made of them', async (t) => {
  const script = `trap 'echo got-hup' HUP; trap 'echo got-term; exit 0' TERM; trap 'echo got-int; exit 5' INT; echo ready; while :; do sleep 0.05; done`;
  const cp = new Supervisor(['run', '--', 'sh', '-c', script], { env: noEnv });
  t.after(() => cp.dispose());
  await cp.waitFor('ready');
  cp.signal('SIGHUP');
  await cp.waitFor('got-hup');
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit()).code, 0, cp.output);
  assert.match(cp.stdout, /got-term/);

  const cp2 = new Supervisor(['run', '--', 'sh', '-c', script], { env: noEnv });
  t.after(() => cp2.dispose());
  await cp2.waitFor('ready');
  cp2.signal('SIGINT');
  assert.equal((await cp2.waitExit()).code, 5, cp2.output);
  assert.match(cp2.stdout, /got-int/);
});

test('init mode: a command that cannot start exits 127', async () => {
  const cp = new Supervisor(['run', '--', '/nonexistent/command'], { env: noEnv });
  const exit = await cp.waitExit().finally(() => cp.dispose());
  assert.equal(exit.code, 127, cp.output);
  assert.match(cp.stderr, /unable to start command: executable not found: \/nonexistent\/command$/m);
});

test('no config and no command: one-line error, exit 2', async () => {
  const cp = new Supervisor(['run'], { env: noEnv });
  const exit = await cp.waitExit().finally(() => cp.dispose());
  assert.equal(exit.code, 2);
  assert.equal(cp.stderr.trim().split('\n').length, 1, cp.stderr);
  assert.match(cp.stderr, /--config.*CONTAINERPILOT.*--/);
});

test('a broken config is reported per problem with file and place, exit 2, no stack', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const cp = new Supervisor(['run', '--config', dir.file('bad.json5', '{ jobs: [ { name: "a", exec: "true", restarts: "sometimes" } ] }')], { env: noEnv });
  const exit = await cp.waitExit().finally(() => cp.dispose());
  assert.equal(exit.code, 2);
  assert.match(cp.stderr, /bad\.json5.*restarts/);
  assert.doesNotMatch(cp.stderr, /\n\s+at /);
});

test('run: syntax and template errors give file:line:col, schema errors every field path at once; exit 2, no stack', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const cases: Array<[string, string, RegExp[]]> = [
    ['syntax.json5', '{\n  jobs: [\n    { name: "a" exec: "true" } ]\n}\n', [/^error: \S*syntax\.json5:3:17: invalid character 'e'$/]],
    ['template.json5', '{\n  jobs: [ { name: "{{ .NAME | nosuch }}", exec: "true" } ]\n}\n', [/^error: \S*template\.json5:2:31: function "nosuch" not defined$/]],
    ['schema.json5', '{\n  jobs: [ { name: "a", exec: "true", restarts: "sometimes", when: {interval: "5s", each: "x"} } ],\n  logging: {level: "loud"}\n}\n', [
      /schema\.json5: logging\.level: "loud" is not a log level/,
      /schema\.json5: jobs\[0\] \("a"\)\.when: "interval" cannot be combined with "each"/,
      /schema\.json5: jobs\[0\] \("a"\)\.restarts: expected a non-negative integer, "unlimited" or "never", got the string "sometimes"/,
    ]],
  ];
  for (const [name, text, expected] of cases) {
    const cp = new Supervisor(['run', '--config', dir.file(name, text)], { env: noEnv });
    const exit = await cp.waitExit().finally(() => cp.dispose());
    assert.equal(exit.code, 2, `${name}: ${cp.output}`);
    const lines = cp.stderr.trim().split('\n');
    assert.equal(lines.length, expected.length, `${name}: one line per problem:\n${cp.stderr}`);
    for (const re of expected) assert.ok(lines.some((l) => re.test(l)), `${name}: ${re} in\n${cp.stderr}`);
    assert.equal(cp.stdout, '', `${name}: nothing on stdout`);
  }
});

test('CONTAINERPILOT names the config; -config is the legacy spelling of run --config', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const config = dir.config('cp.json5', '{ jobs: [ { name: "hello", exec: ["echo", "from-config"] } ] }');
  const viaEnv = new Supervisor(['run'], { env: { CONTAINERPILOT: `file://${config}` } });
  assert.equal((await viaEnv.waitExit().finally(() => viaEnv.dispose())).code, 0);
  assert.match(viaEnv.stdout, /Z from-config$/m);
  const legacy = new Supervisor(['-config', config], { env: noEnv });
  assert.equal((await legacy.waitExit().finally(() => legacy.dispose())).code, 0);
  assert.match(legacy.stdout, /Z from-config$/m);
});

test('--template renders the config over the environment to stdout or --out, and quits', async (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const config = dir.file('cp.json5', '{ jobs: [ { name: "{{ .SVC_NAME }}", exec: "sleep 100" } ] }');
  const cp = new Supervisor(['run', '--config', config, '--template'], { env: { ...noEnv, SVC_NAME: 'api' } });
  assert.equal((await cp.waitExit().finally(() => cp.dispose())).code, 0);
  assert.equal(cp.stdout, '{ jobs: [ { name: "api", exec: "sleep 100" } ] }');
  const out = join(dir.path, 'rendered.json5');
  const legacy = new Supervisor(['-template', '-config', config, '-out', out], { env: { ...noEnv, SVC_NAME: 'web' } });
  assert.equal((await legacy.waitExit().finally(() => legacy.dispose())).code, 0, legacy.output);
  assert.equal(dir.read('rendered.json5'), '{ jobs: [ { name: "web", exec: "sleep 100" } ] }');
});

test('-version prints the version and the build\'s commit, and quits', async () => {
  const cp = new Supervisor(['-version'], { env: noEnv });
  assert.equal((await cp.waitExit().finally(() => cp.dispose())).code, 0);
  assert.equal(cp.stdout, versionText);
});
