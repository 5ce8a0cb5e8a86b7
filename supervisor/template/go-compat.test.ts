// The case table (testdata/go-cases.txt) rendered by this engine and by Go's text/template:
// outputs must be identical byte for byte, and a case fails in one engine only if it fails in both.
// testdata/go-golden.json records Go's results so the comparison also runs where Go is absent;
// with Go installed the golden file itself is checked against Go (UPDATE_GO_GOLDEN=1 rewrites it).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TemplateError, renderTemplate } from './index.js';
import { type GoResult, readCases, renderWithGo, revive, testdataDir, withoutNoValue } from './testdata/go-reference.js';

interface Golden { output: string; error: boolean }

const cases = readCases();
const goResults = renderWithGo(cases);
const goldenFile = join(testdataDir, 'go-golden.json');
const toGolden = (r: GoResult): Golden => ({ output: r.error === null ? withoutNoValue(r.output) : '', error: r.error !== null });

if (goResults !== null && process.env.UPDATE_GO_GOLDEN === '1') {
  const golden = Object.fromEntries(cases.map((c, i) => [c.name, toGolden(goResults[i]!)]));
  writeFileSync(goldenFile, JSON.stringify(golden, null, 1) + '\n');
}
const golden = existsSync(goldenFile) ? (JSON.parse(readFileSync(goldenFile, 'utf8')) as Record<string, Golden>) : {};

test('case names are unique', () => {
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
});

test('golden file holds Go\'s current results for every case', () => {
  for (const [i, c] of cases.entries()) {
    const recorded = golden[c.name];
    assert.ok(recorded, `no golden result for case "${c.name}" (run the tests with UPDATE_GO_GOLDEN=1 and Go installed)`);
    if (goResults !== null) assert.deepEqual(toGolden(goResults[i]!), recorded, `case "${c.name}"`);
  }
});

for (const [i, c] of cases.entries()) {
  test(`same as Go: ${c.name}`, () => {
    const ref: Golden | undefined = goResults !== null ? toGolden(goResults[i]!) : golden[c.name];
    assert.ok(ref, `no reference result for "${c.name}"`);
    let ours: Golden;
    try {
      ours = { output: renderTemplate(c.template, revive(c.data), { name: c.name, env: c.env }), error: false };
    } catch (e) {
      assert.ok(e instanceof TemplateError, `case "${c.name}" threw ${String(e)} instead of a TemplateError`);
      assert.match(e.message, /^.+:\d+:\d+: /);
      ours = { output: '', error: true };
      if (!ref.error) assert.fail(`case "${c.name}": Go renders ${JSON.stringify(ref.output)} but we fail: ${e.message}`);
    }
    if (ref.error && !ours.error) {
      const goError = goResults?.[i]?.error ?? 'an error';
      assert.fail(`case "${c.name}": Go fails (${goError}) but we render ${JSON.stringify(ours.output)}`);
    }
    assert.equal(Buffer.from(ours.output, 'utf8').toString('hex'), Buffer.from(ref.output, 'utf8').toString('hex'),
      `case "${c.name}":\n ours: ${JSON.stringify(ours.output)}\n   go: ${JSON.stringify(ref.output)}`);
  });
}
