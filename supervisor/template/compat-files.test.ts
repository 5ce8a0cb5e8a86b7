// Every real ContainerPilot config and consul-template template of the shared compatibility
// corpus, rendered by this engine and by Go's text/template with the same environment (and,
// for .ctmpl files, the same service catalog): the outputs must be identical byte for byte.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compatDir } from '../../testing/paths.js';
import { renderTemplate } from './index.js';
import { type Catalog, type CatalogEntry, type GoCase, catalogFuncs, renderWithGo, withoutNoValue } from './testdata/go-reference.js';

const dirs = ['containerpilot-v3', 'hello-world'];
const files = dirs.flatMap((d) => readdirSync(join(compatDir, d)).filter((f) => /\.(json5|ctmpl)$/.test(f)).sort().map((f) => join(d, f)));

/** Values for every field a template mentions: ports numeric, everything else recognisable. */
function fullEnv(text: string): Record<string, string> {
  const env: Record<string, string> = { HOME: '/root' };
  for (const action of text.match(/\{\{[\s\S]*?\}\}/g) ?? []) {
    for (const [, name] of action.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)/g)) env[name!] = /PORT/.test(name!) ? '8080' : `${name!.toLowerCase()}.example`;
  }
  return env;
}

const entry = (name: string, n: number, tags: string[]): CatalogEntry => ({
  Node: `node-${n}`, Address: `10.0.0.${n}`, ID: `${name}-${n}`, Name: name, Port: 3000 + n, Tags: tags, ServiceMeta: { v: '1' },
});
const catalogs: Record<string, Catalog> = {
  'two services': { hello: [entry('hello', 1, ['a']), entry('hello', 2, [])], world: [entry('world', 3, ['b'])], nginx: [] },
  'empty catalog': {},
};

const cases: GoCase[] = files.flatMap((file) => {
  const text = readFileSync(join(compatDir, file), 'utf8');
  if (file.endsWith('.ctmpl')) {
    return Object.entries(catalogs).map(([label, catalog]) => ({ name: `${file} (${label})`, template: text, data: {}, env: {}, catalog }));
  }
  const env = fullEnv(text);
  return [
    { name: `${file} (environment set)`, template: text, data: env, env },
    { name: `${file} (environment empty)`, template: text, data: {}, env: {} },
  ];
});
const goResults = renderWithGo(cases);

test('the corpus holds configs and templates with actions', () => {
  assert.ok(files.filter((f) => f.endsWith('.json5')).length >= 20, 'expected the ContainerPilot v3 configs');
  assert.ok(files.some((f) => f.endsWith('.ctmpl')), 'expected consul-template templates');
  assert.ok(cases.some((c) => c.template.includes('{{')), 'expected templates with actions');
});

for (const [i, c] of cases.entries()) {
  test(`renders like Go: ${c.name}`, () => {
    const funcs = c.catalog ? catalogFuncs(c.catalog) : undefined;
    const ours = renderTemplate(c.template, c.data, { name: c.name, env: c.env, funcs });
    assert.ok(!ours.includes('{{'), 'no action may survive rendering');
    for (const [k, v] of Object.entries(c.env)) {
      if (c.template.includes(`.${k} `) || c.template.includes(`.${k}}`)) assert.ok(ours.includes(v), `value of ${k} rendered`);
    }
    if (goResults !== null) {
      const go = goResults[i]!;
      assert.equal(go.error, null, `Go failed: ${go.error}`);
      assert.equal(ours, withoutNoValue(go.output));
    }
  });
}
