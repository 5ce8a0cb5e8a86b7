// Every config and consul-template template among our fixtures (supervisor/config/testdata/v3,
// supervisor/render/testdata, the hand-written project in generators/testdata), rendered by
// this engine and by Go's text/template with the same environment (and, for .ctmpl files, the
// same service catalog): the outputs must be identical byte for byte. `npm run compat -- <dir>`
// does the same on a folder of real ContainerPilot configs and templates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderWithGo } from './testdata/go-reference.js';
import { checkFileCase, fileCases } from './testdata/file-cases.js';
import { templateFixtures } from './testdata/fixture-files.js';

const files = templateFixtures();
const cases = fileCases(files);
const goResults = renderWithGo(cases);

test('the fixtures hold configs and templates with actions', () => {
  assert.ok(files.filter((f) => f.name.endsWith('.json5')).length >= 15, 'expected the v3 config fixtures');
  assert.ok(files.filter((f) => f.name.endsWith('.ctmpl')).length >= 2, 'expected consul-template templates');
  assert.ok(cases.some((c) => c.template.includes('{{')), 'expected templates with actions');
});

for (const [i, c] of cases.entries()) {
  test(`renders like Go: ${c.name}`, () => checkFileCase(c, goResults?.[i]));
}
