// The fuzz targets by name, and the PRNG stream of one input: (seed, target, index) -> the same
// input on every machine, so `node bench/fuzz.mjs --seed S --target T --index I` replays it.

import { join } from 'node:path';
import { repoRoot } from './report.mjs';

const { rng } = await import(join(repoRoot, 'dist', 'supervisor', 'template', 'testdata', 'fuzz-gen.js'));

export const TARGETS = ['config', 'template'];

export async function loadTarget(name) {
  if (name === 'config') return import('./fuzz-config.mjs');
  if (name === 'template') return import('./fuzz-template.mjs');
  throw new Error(`no fuzz target "${name}" (expected one of: ${TARGETS.join(', ')})`);
}

/** The template tests' mulberry32, seeded from (seed, target, index) through a 32-bit mix: one stream per input. */
export function inputRandom(seed, target, index) {
  let h = (seed ^ Math.imul(TARGETS.indexOf(target) + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) ^ Math.imul(index + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return rng((h ^ (h >>> 16)) >>> 0);
}
