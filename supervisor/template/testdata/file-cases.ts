// Test support: whole files (ContainerPilot configs, consul-template templates) as Go comparison
// cases, and the check of one case. Used by compat-files.test.ts on our fixtures and by
// `npm run compat` on a folder of real ones.
import assert from 'node:assert/strict';
import { renderTemplate } from '../index.js';
import { type Catalog, type CatalogEntry, type GoCase, type GoResult, catalogFuncs, withoutNoValue } from './go-reference.js';

export interface TemplateFile { name: string; text: string }

/** Values for every field a template mentions: ports numeric, everything else recognisable. */
export function fullEnv(text: string): Record<string, string> {
  const env: Record<string, string> = { HOME: '/root' };
  for (const action of text.match(/\{\{[\s\S]*?\}\}/g) ?? []) {
    for (const [, name] of action.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)/g)) env[name!] = /PORT/.test(name!) ? '8080' : `${name!.toLowerCase()}.example`;
  }
  return env;
}

const entry = (name: string, n: number, tags: string[]): CatalogEntry => ({
  Node: `node-${n}`, Address: `10.0.0.${n}`, ID: `${name}-${n}`, Name: name, Port: 3000 + n, Tags: tags, ServiceMeta: { v: '1' },
});
/** The catalogs a .ctmpl is rendered over: services with and without instances, and none at all. */
export const CATALOGS: Record<string, Catalog> = {
  'two services': { hello: [entry('hello', 1, ['a']), entry('hello', 2, [])], world: [entry('world', 3, ['b'])], nginx: [] },
  'empty catalog': {},
};

/** A .ctmpl once per catalog; any other file (a config) with its variables set, then unset. */
export function fileCases(files: TemplateFile[]): GoCase[] {
  return files.flatMap(({ name, text }) => {
    if (name.endsWith('.ctmpl')) {
      return Object.entries(CATALOGS).map(([label, catalog]) => ({ name: `${name} (${label})`, template: text, data: {}, env: {}, catalog }));
    }
    const env = fullEnv(text);
    return [
      { name: `${name} (environment set)`, template: text, data: env, env },
      { name: `${name} (environment empty)`, template: text, data: {}, env: {} },
    ];
  });
}

/** This engine renders the case with no action left and every variable's value in place; where Go ran, byte for byte as Go. */
export function checkFileCase(c: GoCase, go: GoResult | undefined): void {
  const funcs = c.catalog ? catalogFuncs(c.catalog) : undefined;
  const ours = renderTemplate(c.template, c.data, { name: c.name, env: c.env, funcs });
  assert.ok(!ours.includes('{{'), 'no action may survive rendering');
  for (const [k, v] of Object.entries(c.env)) {
    if (c.template.includes(`.${k} `) || c.template.includes(`.${k}}`)) assert.ok(ours.includes(v), `value of ${k} rendered`);
  }
  if (go !== undefined) {
    assert.equal(go.error, null, `Go failed: ${go.error}`);
    assert.equal(ours, withoutNoValue(go.output));
  }
}
