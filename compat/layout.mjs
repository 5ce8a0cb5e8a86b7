// What a compatibility corpus folder holds (the folder given to `npm run compat -- <dir>`): the
// sub-folders the checks read, and how each file name says what the file must do. Pure: used by
// scripts/compat.mjs to vet the folder and by the checks to list their cases.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** containerpilot-v3: v3 configs, job arrays, a telemetry block, templates; v2: 2.x JSON configs; hello-world: a hand-written project. */
export const SUBDIRS = ['containerpilot-v3', 'v2', 'hello-world'];

/** The file names in `dir/sub` (none when it is missing), sorted. */
export function filesIn(dir, sub) {
  const path = join(dir, sub);
  if (!existsSync(path) || !statSync(path).isDirectory()) return [];
  return readdirSync(path).filter((f) => statSync(join(path, f)).isFile()).sort();
}

/** Why `dir` is not a corpus, in a few words; undefined when it is one. */
export function corpusProblem(dir) {
  if (!existsSync(dir)) return 'no such folder';
  if (!statSync(dir).isDirectory()) return 'not a folder';
  const found = SUBDIRS.filter((sub) => filesIn(dir, sub).length > 0);
  if (found.length === 0) return `no corpus in it (expected files in ${SUBDIRS.map((s) => `${s}/`).join(', ')})`;
  return undefined;
}

/**
 * What a containerpilot-v3 file is, from its name (the original path with `/` as `__`):
 * `rejected` (a TestErr job array), `jobs` (a job array), `telemetry` (a telemetry block),
 * `config` (a whole config), `template` (.ctmpl), or undefined (anything else: left alone).
 */
export function v3Kind(name) {
  if (name.endsWith('.ctmpl')) return 'template';
  if (!name.endsWith('.json5')) return undefined;
  if (name.startsWith('jobs__testdata__TestErr')) return 'rejected';
  if (name.startsWith('jobs__testdata__')) return 'jobs';
  if (name.startsWith('telemetry__testdata__')) return 'telemetry';
  return 'config';
}

/**
 * The job field a TestErr file gets wrong, from its name: `...TestErrJobConfigConsulEnableTagOverride`
 * -> `consul.enableTagOverride`.
 */
export function rejectedField(name) {
  const words = /TestErrJobConfig([A-Za-z]+)\.json5$/.exec(name)?.[1];
  if (!words) return undefined;
  const lower = (s) => s.charAt(0).toLowerCase() + s.slice(1);
  return words.startsWith('Consul') ? `consul.${lower(words.slice('Consul'.length))}` : lower(words);
}
