import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translateLegacyArgv } from './legacy-flags.js';

test('ContainerPilot single-dash flags pick the subcommand they imply', () => {
  const cases: [string[], string[]][] = [
    [['-version'], ['version', '--containerpilot']],
    [['-version=true'], ['version', '--containerpilot']],
    [['-config', 'c.json5', '-version'], ['version', '--containerpilot']],
    [['--version'], ['version']],
    [['-v'], ['version']],
    [['-V'], ['version']],
    [['-config', '/etc/cp.json5'], ['run', '--config', '/etc/cp.json5']],
    [['-config=/etc/cp.json5'], ['run', '--config=/etc/cp.json5']],
    [['-template', '-config', 'c.json5', '-out', 'f'], ['run', '--template', '--config', 'c.json5', '--out', 'f']],
    [['-reload'], ['ctl', 'reload']],
    [['-reload=true'], ['ctl', 'reload']],
    [['-ping', '-config', 'c.json5'], ['ctl', 'ping', '--config', 'c.json5']],
    [['-putenv', 'K=V'], ['ctl', 'putenv', 'K=V']],
    [['-putenv=K=V'], ['ctl', 'putenv', 'K=V']],
    [['-putmetric', 'm=1'], ['ctl', 'putmetric', 'm=1']],
    [['-maintenance', 'enable'], ['ctl', 'maintenance', 'enable']],
    [['-maintenance=disable'], ['ctl', 'maintenance', 'disable']],
  ];
  for (const [input, expected] of cases) assert.deepEqual(translateLegacyArgv(input), expected, input.join(' '));
});

test('subcommands and the arguments after -- are left alone', () => {
  assert.deepEqual(translateLegacyArgv(['run', '-config', 'c.json5']), ['run', '--config', 'c.json5']);
  assert.deepEqual(translateLegacyArgv(['run', '--', 'node', '-config', 'x']), ['run', '--', 'node', '-config', 'x']);
  assert.deepEqual(translateLegacyArgv(['new', 'hello-world', 'demo', '-y']), ['new', 'hello-world', 'demo', '-y']);
  assert.deepEqual(translateLegacyArgv([]), []);
  assert.deepEqual(translateLegacyArgv(['render', '-consul', 'consul:8500', '-template', 'a:b:c', '-once']), [
    'render', '--consul', 'consul:8500', '--template', 'a:b:c', '--once',
  ]);
});

test('ContainerPilot 2.x form: the first argument that is not a flag starts the application', () => {
  assert.deepEqual(translateLegacyArgv(['-config', 'v2.json', 'node', 'app.js', '-config', 'x']), ['run', '--config', 'v2.json', '--', 'node', 'app.js', '-config', 'x']);
  assert.deepEqual(translateLegacyArgv(['-config=v2.json', '/bin/app']), ['run', '--config=v2.json', '--', '/bin/app']);
  assert.deepEqual(translateLegacyArgv(['-config', 'v2.json', '--', 'app']), ['run', '--config', 'v2.json', '--', 'app']);
  // Control calls keep their positional values.
  assert.deepEqual(translateLegacyArgv(['-maintenance', 'enable']), ['ctl', 'maintenance', 'enable']);
  assert.deepEqual(translateLegacyArgv(['-putenv', 'K=V', '-config', 'c.json5']), ['ctl', 'putenv', 'K=V', '--config', 'c.json5']);
});

test('with $CONTAINERPILOT set, `autopilot node app.js` runs the application, as ContainerPilot 2 did', () => {
  const env = { CONTAINERPILOT: '/etc/containerpilot.json' };
  assert.deepEqual(translateLegacyArgv(['node', 'app.js', '-config', 'x'], env), ['run', '--', 'node', 'app.js', '-config', 'x']);
  assert.deepEqual(translateLegacyArgv(['run', '--', 'node'], env), ['run', '--', 'node']);
  assert.deepEqual(translateLegacyArgv(['-version'], env), ['version', '--containerpilot']);
  // Without it, an unknown word stays an unknown command (a typo must not run anything).
  assert.deepEqual(translateLegacyArgv(['nwe', 'hello-world'], {}), ['nwe', 'hello-world']);
});
