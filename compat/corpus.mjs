// The corpus the checks run on: the folder in $AUTOPILOT_COMPAT_DIR (scripts/compat.mjs sets it
// from `npm run compat -- <dir>`), its files, and the built modules the checks call (dist/).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusProblem, filesIn } from './layout.mjs';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** A built module of this repository (run `npm run build` first; `npm run compat` does). */
export const dist = (...path) => import(join(repoRoot, 'dist', ...path));

const given = process.env.AUTOPILOT_COMPAT_DIR;
if (!given) throw new Error('AUTOPILOT_COMPAT_DIR is not set: run the checks with `npm run compat -- <dir>`');
export const corpusDir = resolve(given);
const problem = corpusProblem(corpusDir);
if (problem) throw new Error(`${corpusDir}: ${problem}`);

/** The names in one sub-folder of the corpus, optionally only those matching `re`. */
export const files = (sub, re = /./) => filesIn(corpusDir, sub).filter((f) => re.test(f));

export const path = (sub, name) => join(corpusDir, sub, name);
export const read = (sub, name) => readFileSync(path(sub, name), 'utf8');
