// Every config and consul-template template of the corpus (containerpilot-v3/ and hello-world/),
// rendered by our Go-template engine and by Go's text/template with the same environment (and,
// for .ctmpl files, the same service catalog): identical byte for byte. Where Go is not
// installed, each still renders with no action left and every variable in place.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dist, files, read } from './corpus.mjs';

const { renderWithGo } = await dist('supervisor', 'template', 'testdata', 'go-reference.js');
const { checkFileCase, fileCases } = await dist('supervisor', 'template', 'testdata', 'file-cases.js');

const templateFiles = ['containerpilot-v3', 'hello-world'].flatMap((sub) =>
  files(sub, /\.(json5|ctmpl)$/).map((name) => ({ name: `${sub}/${name}`, text: read(sub, name) })));
const cases = fileCases(templateFiles);
const goResults = renderWithGo(cases);

test('the corpus has configs or templates to render', (t) => {
  assert.ok(templateFiles.length > 0, 'no .json5 or .ctmpl in containerpilot-v3/ or hello-world/');
  if (goResults === null) t.diagnostic('Go is not installed: outputs are not compared with Go');
});

for (const [i, c] of cases.entries()) {
  test(`renders like Go: ${c.name}`, () => checkFileCase(c, goResults?.[i]));
}
