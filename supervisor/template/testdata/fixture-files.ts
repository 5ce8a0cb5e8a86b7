// Test support: our own whole-file template fixtures, for the Go comparison and the fuzz seeds.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../../testing/paths.js';
import type { TemplateFile } from './file-cases.js';

const FOLDERS = [
  join('supervisor', 'config', 'testdata', 'v3'),
  join('supervisor', 'config', 'testdata', 'v3-jobs'),
  join('supervisor', 'config', 'testdata', 'v3-telemetry'),
  join('supervisor', 'render', 'testdata'),
  join('generators', 'testdata', 'handmade-hello'),
];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every .json5 config and .ctmpl template under the fixture folders, named relative to the repository. */
export function templateFixtures(): TemplateFile[] {
  return FOLDERS.flatMap((f) => walk(join(repoRoot, f)))
    .filter((p) => /\.(json5|ctmpl)$/.test(p))
    .sort()
    .map((p) => ({ name: relative(repoRoot, p), text: readFileSync(p, 'utf8') }));
}
