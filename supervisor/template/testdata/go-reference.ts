// Test support: runs templates through Go's real text/template (testdata/gorender) and reads
// the shared case table, so tests can compare the TypeScript engine with Go byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../testing/paths.js';
import { type TemplateFunc, withSig } from '../func-types.js';
import { compareStrings, goStruct } from '../values.js';

export const testdataDir = join(repoRoot, 'supervisor', 'template', 'testdata');

export interface CatalogEntry {
  Node: string; Address: string; ID: string; Name: string; Port: number; Tags: string[]; ServiceMeta: Record<string, string>;
}
export type Catalog = Record<string, CatalogEntry[]>;

export interface GoCase {
  name: string; template: string; data: unknown; env: Record<string, string>;
  /** When set, both engines get consul-template style `service` and `services` over it. */
  catalog?: Catalog;
}
export interface GoResult { output: string; error: string | null }

/** The environment the `env` function reads in the case table. */
export const CASE_ENV: Record<string, string> = { NAME_1: 'Template', HOME: '/root', EMPTY_VAR: '' };

const NAMED_DATA: Record<string, unknown> = {
  env: { NAME: 'Template', USER: 'pilot', PARTS: 'a:b:c', COUNT: '3', EMPTY: '', SPACES: '  x y  ', CONSUL: 'consul:8500' },
  rich: {
    s: 'str', i: 42, neg: -7, f: 1.5, big: 1000000, t: true, fz: false, z: 0, n: null,
    arr: [1, 2, 3], strs: ['a', 'b', 'c'], m: { x: '1', y: '2', a: '0' }, empty: [], emptym: {},
    mixed: { a: 1, b: 'two', c: [1, 'x'], d: { e: 'f' } }, uni: 'héllo wörld ✓', html: `<a href="x">'&'</a>`,
    svc: [
      { $struct: [['Address', '10.0.0.1'], ['Port', 8080], ['ID', 'web-1'], ['Node', 'n1'], ['Tags', ['a', 'b']]] },
      { $struct: [['Address', '10.0.0.2'], ['Port', 8081], ['ID', 'web-2'], ['Node', 'n2'], ['Tags', ['c']]] },
    ],
  },
};

/**
 * Parses testdata/go-cases.txt: blocks starting "=== name", then a data line (JSON, or "@env" /
 * "@rich" for the named data sets), then the template up to the next "=== " line (its final
 * newline excluded).
 */
export function readCases(file = join(testdataDir, 'go-cases.txt')): GoCase[] {
  const blocks = readFileSync(file, 'utf8').split(/^=== /m).slice(1);
  return blocks.map((block) => {
    const nl1 = block.indexOf('\n');
    const nl2 = block.indexOf('\n', nl1 + 1);
    const name = block.slice(0, nl1).trim();
    const dataLine = block.slice(nl1 + 1, nl2).trim();
    const data = dataLine.startsWith('@') ? NAMED_DATA[dataLine.slice(1)] : JSON.parse(dataLine);
    if (data === undefined) throw new Error(`case ${name}: unknown data set ${dataLine}`);
    return { name, template: block.slice(nl2 + 1).replace(/\n$/, ''), data, env: CASE_ENV };
  });
}

/** Turns the JSON case data into engine values: {"$struct": [[k, v]...]} becomes a Go struct. */
export function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.$struct) && Object.keys(o).length === 1) {
      const fields: Record<string, unknown> = {};
      for (const [k, x] of o.$struct as [string, unknown][]) fields[k] = revive(x);
      return goStruct('struct', fields);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

let built: { dir: string; bin: string } | null | undefined;

/** Builds the Go reference renderer once per process; null when no Go toolchain is installed. */
export function goRenderer(): string | null {
  if (built !== undefined) return built?.bin ?? null;
  const probe = spawnSync('go', ['version'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    built = null;
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'gorender-'));
  const bin = join(dir, 'gorender');
  const build = (): ReturnType<typeof spawnSync> => spawnSync('go', ['build', '-o', bin, '.'], {
    cwd: join(testdataDir, 'gorender'), encoding: 'utf8', timeout: 300_000,
    env: { ...process.env, GOWORK: 'off', GOFLAGS: '' },
  });
  // Test files build concurrently; one retry absorbs a transient build-cache conflict.
  let res = build();
  if (res.status !== 0) res = build();
  if (res.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`go build of the reference renderer failed: ${String(res.stderr)}`);
  }
  built = { dir, bin };
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return bin;
}

/** Renders every case with Go; returns null when Go is unavailable. */
export function renderWithGo(cases: GoCase[]): GoResult[] | null {
  const bin = goRenderer();
  if (bin === null) return null;
  const res = spawnSync(bin, [], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`gorender failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as GoResult[];
}

/**
 * Go prints a missing interface value as "<no value>" (also through html, js and urlquery);
 * this engine deliberately prints nothing there, so Go's output is compared without it.
 */
export function withoutNoValue(goOutput: string): string {
  return goOutput.replaceAll('<no value>', '').replaceAll('&lt;no value&gt;', '')
    .replaceAll('\\u003Cno value\\u003E', '').replaceAll('%3Cno+value%3E', '');
}

/** consul-template's `service NAME` and `services` over a fixed catalog, as the Go renderer has them. */
export function catalogFuncs(catalog: Catalog): Record<string, TemplateFunc> {
  const service = withSig({ params: ['string'], variadic: 'string' }, (name: string) =>
    (catalog[name] ?? []).map((s) => goStruct('healthService', {
      Node: s.Node, Address: s.Address, ID: s.ID, Name: s.Name, Port: s.Port, Tags: s.Tags, ServiceMeta: s.ServiceMeta,
    })));
  const services = withSig({ params: [] }, () =>
    Object.keys(catalog).sort(compareStrings).map((name) =>
      goStruct('catalogService', { Name: name, Tags: (catalog[name] ?? []).flatMap((s) => s.Tags) })));
  return { service, services };
}
