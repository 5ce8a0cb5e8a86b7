// The corpus's configs with the loader, as its README says each must behave: whole v3 configs,
// job arrays and the telemetry block load (wrapped into whole configs); the TestErr job arrays are
// refused naming the job and the field; 2.x configs translate (and `migrate` writes the same
// model as v3 JSON5), except etcd ones, refused in one line; every v3 config takes a job and a
// watch from `autopilot add` with its text kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import JSON5 from 'json5';
import { corpusDir, dist, files, read } from './corpus.mjs';
import { rejectedField, v3Kind } from './layout.mjs';

const { loadConfigText } = await dist('supervisor', 'config', 'index.js');
const { migrateText } = await dist('supervisor', 'config', 'migrate.js');
const { expectEtcdRefused, expectMigrates, expectRejected, expectUsableConfig, expectV2Translated } = await dist('supervisor', 'config', 'testdata', 'checks.js');
const { wholeConfig } = await dist('testing', 'config-fixtures.js');
const { fullEnv } = await dist('supervisor', 'template', 'testdata', 'file-cases.js');
const { patchKeepsLines } = await dist('generators', 'testdata', 'patch-checks.js');

/** Loads with every variable the text's templates use set (an unset one would render empty). */
const load = (file, text) => loadConfigText(text, { file, env: fullEnv(text) });

const v3 = files('containerpilot-v3').map((name) => ({ name, kind: v3Kind(name) })).filter((f) => f.kind && f.kind !== 'template');
const v2 = files('v2', /\.json$/);

test(`the corpus in ${corpusDir} has configs`, () => {
  assert.ok(v3.length + v2.length > 0, 'no .json5 in containerpilot-v3/ and no .json in v2/');
});

for (const { name, kind } of v3) {
  const text = read('containerpilot-v3', name);
  if (kind === 'rejected') {
    const field = rejectedField(name);
    const job = String(JSON5.parse(text)[0]?.name);
    test(`v3 ${name}: refused, naming job "${job}" and ${field}`, () => {
      assert.ok(field, `the file name says no field: ${name}`);
      expectRejected(() => load(name, wholeConfig('jobs', text)), name, job, field);
    });
  } else {
    test(`v3 ${name}: loads${kind === 'config' ? '' : ` as the value of ${kind}:`}`, () => {
      expectUsableConfig(load(name, kind === 'config' ? text : wholeConfig(kind, text)));
    });
  }
}

for (const name of v2) {
  const text = read('v2', name);
  if (text.includes('"etcd"')) {
    test(`v2 ${name}: etcd is refused in one line, by run and by migrate`, () => {
      expectEtcdRefused(() => load(name, text), name);
      expectEtcdRefused(() => migrateText(text, { file: name, env: fullEnv(text) }), name);
    });
    continue;
  }
  test(`v2 ${name}: translates to the v3 model`, () => expectV2Translated(text, load(name, text)));
  test(`v2 ${name}: migrate writes v3 JSON5 with the same model`, () => expectMigrates(text, name, fullEnv(text)));
}

const JOB = { name: 'onchange-compat', exec: ['/bin/true'], when: { source: 'watch.compat', each: 'changed' } };
const WATCH = { name: 'compat', interval: 3 };
const whole = v3.filter((f) => f.kind === 'config');
if (whole.length > 0) {
  test('every whole v3 config that is JSON5 as it stands takes a job and a watch, its lines kept', () => {
    const patched = whole.filter(({ name }) => patchKeepsLines(read('containerpilot-v3', name), name, JOB, WATCH));
    assert.ok(patched.length > 0, 'none of the configs is JSON5 before rendering');
  });
}
