/**
 * Seeded, bounded fuzzing of loadConfigText over mutated configs (our v3 and 2.x fixtures in
 * supervisor/config/testdata): random cuts, inserted characters and values swapped for other
 * types. Whatever the input, the loader returns a Config or throws a ConfigError; any other
 * outcome is a bug.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import JSON5 from 'json5';
import { fixtureFiles, fixtureText } from '../../testing/config-fixtures.js';
import { ConfigError, loadConfigText } from './index.js';

/** mulberry32: a small deterministic PRNG so every run tries the same inputs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Whole configs only (not the bare job arrays), and none that is a template until rendered.
const seeds = (['v3', 'v2'] as const)
  .flatMap((kind) => fixtureFiles(kind).map((f) => fixtureText(kind, f)))
  .filter((text) => !text.includes('{{'));

const CHARS = ['{', '}', '[', ']', ',', ':', '"', "'", '/', '*', '\n', ' ', 'a', '0', '-', '.', '\\', '{{', '}}', '\u2028'];
const VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 1e300, '', 'x', '10s', '-5s', [], [1, 'a'], {}, { a: 1 }, 'unlimited', 'watch.x'];

function expectConfigOrConfigError(text: string): 'ok' | 'error' {
  try {
    const c = loadConfigText(text, { file: 'fuzz.json5', env: {} });
    assert.ok(Array.isArray(c.jobs) && Array.isArray(c.watches));
    return 'ok';
  } catch (err) {
    if (err instanceof ConfigError) {
      assert.ok(err.errors.length > 0 && err.errors.every((e) => e.startsWith('fuzz.json5')), err.message);
      return 'error';
    }
    assert.fail(`not a ConfigError for input:\n${text}\n${err instanceof Error ? err.stack : String(err)}`);
  }
}

/** Replaces one random node of a tree with a value of another type. */
function swapOne(tree: unknown, r: () => number): unknown {
  if (tree === null || typeof tree !== 'object' || r() < 0.15) return VALUES[Math.floor(r() * VALUES.length)];
  if (Array.isArray(tree)) {
    if (tree.length === 0) return VALUES[Math.floor(r() * VALUES.length)];
    const i = Math.floor(r() * tree.length);
    return tree.map((x, j) => (j === i ? swapOne(x, r) : x));
  }
  const keys = Object.keys(tree);
  if (keys.length === 0) return VALUES[Math.floor(r() * VALUES.length)];
  const k = keys[Math.floor(r() * keys.length)]!;
  return { ...(tree as Record<string, unknown>), [k]: swapOne((tree as Record<string, unknown>)[k], r) };
}

test('fuzz seeds are present', () => {
  assert.ok(seeds.length >= 10, `${seeds.length} seed configs`);
});

test('fuzz: random cuts', () => {
  const r = rng(1);
  const outcomes = new Set<string>();
  for (let i = 0; i < 1500; i++) {
    const s = seeds[i % seeds.length]!;
    const a = Math.floor(r() * s.length);
    const b = a + Math.floor(r() * 40);
    outcomes.add(expectConfigOrConfigError(s.slice(0, a) + s.slice(b)));
  }
  assert.ok(outcomes.has('error'));
});

test('fuzz: inserted characters', () => {
  const r = rng(2);
  const outcomes = new Set<string>();
  for (let i = 0; i < 1500; i++) {
    let s = seeds[i % seeds.length]!;
    for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
      const at = Math.floor(r() * s.length);
      s = s.slice(0, at) + CHARS[Math.floor(r() * CHARS.length)] + s.slice(at);
    }
    outcomes.add(expectConfigOrConfigError(s));
  }
  assert.deepEqual([...outcomes].sort(), ['error', 'ok']);
});

test('fuzz: values swapped for other types', () => {
  const r = rng(3);
  const trees = seeds.map((s) => JSON5.parse(s.replace(/(["'}\]\w])(\s*\n\s*)(?=["'{[\w])/g, '$1,$2')) as unknown);
  const outcomes = new Set<string>();
  for (let i = 0; i < 1500; i++) {
    let t = trees[i % trees.length];
    for (let n = 1 + Math.floor(r() * 2); n > 0; n--) t = swapOne(t, r);
    outcomes.add(expectConfigOrConfigError(JSON5.stringify(t) ?? 'null'));
  }
  assert.deepEqual([...outcomes].sort(), ['error', 'ok']);
});
