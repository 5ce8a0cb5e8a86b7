import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatJson5 } from './json5-format.js';
import { appendToTopLevelArray, Json5PatchError } from './json5-patch.js';
import { appendChecked as check, patchKeepsLines } from './testdata/patch-checks.js';

const WATCH = { name: 'db', interval: 3 };
const JOB = { name: 'onchange-db', exec: ['/bin/sh', '/opt/app/onchange-db.sh'], when: { source: 'watch.db', each: 'changed' } };

test('appends to jobs and adds watches, keeping comments and layout byte for byte', () => {
  const before = [
    '// app config: edited by hand',
    '{',
    '  consul: "consul:8500", // the agent',
    '  /* the jobs */',
    '  jobs: [',
    '    {',
    '      name: "app", // main',
    '      exec: "node app.js",',
    '    },',
    '    // { name: "old" },',
    '  ],',
    '}',
    '',
  ].join('\n');
  const withJob = check(before, 'jobs', JOB);
  const after = check(withJob, 'watches', WATCH);
  assert.equal(
    after,
    [
      '// app config: edited by hand',
      '{',
      '  consul: "consul:8500", // the agent',
      '  /* the jobs */',
      '  jobs: [',
      '    {',
      '      name: "app", // main',
      '      exec: "node app.js",',
      '    },',
      '    // { name: "old" },',
      '    {',
      '      name: "onchange-db",',
      '      exec: ["/bin/sh", "/opt/app/onchange-db.sh"],',
      '      when: { source: "watch.db", each: "changed" },',
      '    },',
      '  ],',
      '  watches: [',
      '    { name: "db", interval: 3 },',
      '  ],',
      '}',
      '',
    ].join('\n'),
  );
});

test('follows the file: no trailing commas, quoted keys, single quotes, 4-space indent', () => {
  const before = "{\n    'jobs': [\n        {'name': 'app'}\n    ]\n}\n";
  const after = check(before, 'jobs', { name: 'x', interval: 3 });
  assert.match(after, /\{'name': 'app'\},\n {8}\{ 'name': 'x', 'interval': 3 \}\n {4}\]\n\}/);
  const json = check('{\n  "jobs": [\n    {"name": "a"}\n  ]\n}', 'watches', WATCH);
  assert.match(json, /\]\,\n {2}"watches": \[\n {4}\{ "name": "db", "interval": 3 \}\n {2}\]\n\}$/);
});

test('a trailing comment after the last element stays on its line', () => {
  const after = check('{\n  watches: [\n    { name: "a", interval: 3 } // first\n  ]\n}\n', 'watches', WATCH);
  assert.match(after, /\{ name: "a", interval: 3 \}, \/\/ first\n {4}\{ name: "db", interval: 3 \}\n {2}\]/);
});

test('empty and one-line arrays', () => {
  // No trailing comma after the root's last member: the file does not use them.
  assert.equal(check('{ jobs: [], watches: [] }', 'watches', WATCH), '{ jobs: [], watches: [\n  { name: "db", interval: 3 }\n] }');
  assert.equal(check('{\n  jobs: [],\n}', 'jobs', WATCH), '{\n  jobs: [\n    { name: "db", interval: 3 },\n  ],\n}');
  assert.equal(check('{ watches: [{ name: "a", interval: 3 }] }', 'watches', WATCH), '{ watches: [{ name: "a", interval: 3 }, { name: "db", interval: 3 }] }');
  const opened = check('{\n  jobs: [{ name: "a" }],\n}\n', 'jobs', JOB);
  assert.match(opened, /jobs: \[\n {4}\{ name: "a" \},\n {4}\{\n {6}name: "onchange-db",/);
});

test('strings are escaped in the file quote style', () => {
  const after = check("{ jobs: [{ name: 'a' }] }", 'jobs', { name: "it's \"quoted\"" });
  assert.match(after, /name: 'it\\'s "quoted"'/);
  assert.equal(formatJson5({ a: 'x"y' }), '{ a: "x\\"y" }');
});

test('rejects broken or unsuitable files with file:line:column', () => {
  assert.throws(() => appendToTopLevelArray('{\n  jobs: [\n    { name: "a" \n  ],\n}', 'jobs', JOB, 'svc/containerpilot.json5'), (err: Error) => {
    assert.ok(err instanceof Json5PatchError);
    assert.match(err.message, /^svc\/containerpilot\.json5:4:3: /);
    return true;
  });
  assert.throws(() => appendToTopLevelArray('{ jobs: {} }', 'jobs', JOB, 'c.json5'), /c\.json5: "jobs" must be an array/);
  assert.throws(() => appendToTopLevelArray('[1]', 'jobs', JOB, 'c.json5'), /c\.json5:1:1: expected the config to be an object/);
});

test('every v3 config fixture (supervisor/config/testdata/v3) takes a job and a watch', async () => {
  const { fixtureFiles, fixtureText } = await import('../testing/config-fixtures.js');
  const patched = fixtureFiles('v3').filter((name) => patchKeepsLines(fixtureText('v3', name), name, JOB, WATCH));
  assert.ok(patched.length >= 10, `only ${patched.length} configs patched`);
});
