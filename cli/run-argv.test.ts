import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translateLegacyArgv } from './legacy-flags.js';
import { plainRunOptions } from './run-argv.js';

test('plain run forms are read without the full command line', () => {
  assert.deepEqual(plainRunOptions(['run']), {});
  assert.deepEqual(plainRunOptions(['run', '--config', 'cp.json5']), { config: 'cp.json5' });
  assert.deepEqual(plainRunOptions(['run', '--config=/etc/cp.json5']), { config: '/etc/cp.json5' });
  assert.deepEqual(plainRunOptions(['run', '--config', 'file:///etc/cp.json5', '--template', '--out', 'x.json']), { config: 'file:///etc/cp.json5', template: true, out: 'x.json' });
  assert.deepEqual(plainRunOptions(['run', '--', 'node', 'server.js', '--config', 'x']), { '--': ['node', 'server.js', '--config', 'x'] });
  assert.deepEqual(plainRunOptions(['run', '--config', 'a=b.json5', '--']), { config: 'a=b.json5', '--': [] });
});

test("ContainerPilot's own command lines, once translated, take the plain path", () => {
  const env = { CONTAINERPILOT: '/etc/cp.json5' };
  assert.deepEqual(plainRunOptions(translateLegacyArgv(['-config', '/etc/cp.json5'], {})), { config: '/etc/cp.json5' });
  assert.deepEqual(plainRunOptions(translateLegacyArgv(['-config=/etc/cp.json5'], {})), { config: '/etc/cp.json5' });
  assert.deepEqual(plainRunOptions(translateLegacyArgv(['node', 'app.js'], env)), { '--': ['node', 'app.js'] });
});

test('anything else is left to the full command line, which explains it', () => {
  for (const argv of [
    ['new', 'hello-world'],
    ['run', '--help'],
    ['run', '-h'],
    ['run', '--confg', 'x'],
    ['run', '--config'],
    ['run', '--config='],
    ['run', '--config', '--template'],
    ['run', '--config', 'a', '--config', 'b'],
    ['run', '--template=yes'],
    ['run', 'extra'],
    ['run', '--version'],
  ]) {
    assert.equal(plainRunOptions(argv), undefined, argv.join(' '));
  }
});
