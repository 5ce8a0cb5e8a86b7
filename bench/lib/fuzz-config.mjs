// The config-loader fuzz target of bench/fuzz.mjs: what `autopilot run` and `validate` do to a
// config file (Go-template render over the environment, JSON5 with the duplicate-key check, 2.x
// translation, validation, when-source warnings), through `loadConfigText`, on inputs made from
// our own fixtures (testing/config-fixtures.ts). An input must load into a Config or raise a
// ConfigError whose lines each name the file on one line; anything else is a failure.
import { join } from 'node:path';
import JSON5 from 'json5';
import { below, DURATION_TEXTS, mutateText, nest, NUMBER_TEXTS, pick, size, UNICODE } from './fuzz-mutate.mjs';
import { repoRoot } from './report.mjs';

const { ConfigError, loadConfigText, parseConfigText, renderConfigText } = await import(join(repoRoot, 'dist', 'supervisor', 'config', 'index.js'));
const { fixtureFiles, fixtureText, wholeConfig } = await import(join(repoRoot, 'dist', 'testing', 'config-fixtures.js'));
const { fullEnv } = await import(join(repoRoot, 'dist', 'supervisor', 'template', 'testdata', 'file-cases.js'));

export const FILE = 'fuzz.json5';

/** Every fixture as a whole config: [{ name, text, env (every variable its templates use) }]. */
const seeds = [
  ...['v3', 'v2'].flatMap((kind) => fixtureFiles(kind).map((f) => ({ name: `${kind}/${f}`, text: fixtureText(kind, f) }))),
  ...fixtureFiles('v3-jobs').map((f) => ({ name: `v3-jobs/${f}`, text: wholeConfig('jobs', fixtureText('v3-jobs', f)) })),
  ...fixtureFiles('v3-telemetry').map((f) => ({ name: `v3-telemetry/${f}`, text: wholeConfig('telemetry', fixtureText('v3-telemetry', f)) })),
].map((s) => ({ ...s, env: fullEnv(s.text) }));

/** The fixtures' parsed trees (rendered first), for structure-aware mutations. */
const trees = seeds.flatMap((s) => {
  try {
    return [parseConfigText(renderConfigText(s.text, { file: s.name, env: s.env }), { file: s.name }).tree];
  } catch {
    return []; // the fixtures written to be refused
  }
});

/** Every key and every string value the fixtures use: the vocabulary of generated configs. */
const keys = new Set();
const strings = new Set();
(function collect(v) {
  if (Array.isArray(v)) v.forEach(collect);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (keys.add(k), collect(x));
  else if (typeof v === 'string' && v.length < 80) strings.add(v);
})(trees);
const KEYS = [...keys].sort();
const STRINGS = [...strings].sort();

const WORDS = [
  'unlimited', 'never', 'watch.x', 'x.y', 'healthy', 'unhealthy', 'changed', 'exitSuccess', 'exitFailed', 'stopping', 'stopped',
  'startup', 'SIGHUP', 'SIGUSR1', 'SIGKILL', 'SIGFOO', 'static:127.0.0.1', 'eth0', 'inet6', '::1', ':8500', '127.0.0.1:8500',
  'http://x', 'consul:8500:1', '{{ .X }}', '{{', '}}', '{{ env "HOME" }}', 'a'.repeat(10_000), '\n', '"', "'", '\\', '/', '.',
];
const SCALARS = [null, true, false, 0, -0, -1, 1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 53 + 1, 1e308, Infinity, -Infinity, NaN, 65536, 65535, 1e-320, -(2 ** 63)];

/** A random JSON value: scalars, durations, fixture strings, unicode, nested containers. */
function value(random, depth = 0) {
  const r = random();
  if (r < 0.2) return pick(random, SCALARS);
  if (r < 0.4) return pick(random, DURATION_TEXTS);
  if (r < 0.55) return pick(random, STRINGS);
  if (r < 0.65) return pick(random, WORDS);
  if (r < 0.7) return pick(random, NUMBER_TEXTS);
  if (r < 0.75) return pick(random, STRINGS) + pick(random, UNICODE);
  if (depth > 3 || r < 0.85) return [];
  if (r < 0.92) return Array.from({ length: below(random, 4) }, () => value(random, depth + 1));
  return object(random, depth + 1);
}

/** An object of fixture keys with random values. */
function object(random, depth = 0) {
  const o = {};
  for (let n = below(random, 6); n > 0; n--) o[pick(random, KEYS)] = value(random, depth + 1);
  return o;
}

/** Replaces, removes or adds one node somewhere in `tree`. */
function mutateTree(random, tree) {
  if (tree === null || typeof tree !== 'object' || random() < 0.12) return value(random);
  if (Array.isArray(tree)) {
    if (tree.length === 0 || random() < 0.1) return [...tree, random() < 0.5 ? object(random) : value(random)];
    const i = below(random, tree.length);
    if (random() < 0.1) return tree.filter((_, j) => j !== i);
    if (random() < 0.1) return [...tree, tree[i]]; // a repeated job: same name twice
    return tree.map((x, j) => (j === i ? mutateTree(random, x) : x));
  }
  const ks = Object.keys(tree);
  if (ks.length === 0 || random() < 0.1) return { ...tree, [pick(random, KEYS)]: value(random) };
  const k = pick(random, ks);
  if (random() < 0.1) {
    const { [k]: _, ...rest } = tree;
    return rest;
  }
  return { ...tree, [k]: mutateTree(random, tree[k]) };
}

/** JSON5 text of a tree, in one of several layouts. */
function print(random, tree) {
  const text = random() < 0.5 ? JSON5.stringify(tree, null, pick(random, [0, 2, '\t'])) : JSON.stringify(tree, null, pick(random, [0, 2]));
  return text ?? 'null';
}

/** An environment: every variable the text's templates use, some set to awkward values. */
function envFor(random, text) {
  const env = fullEnv(text);
  for (const k of Object.keys(env)) {
    if (random() < 0.1) env[k] = pick(random, [...WORDS, ...DURATION_TEXTS, ...NUMBER_TEXTS, ...UNICODE, '"x', 'a\nb', '}', '']);
    else if (random() < 0.05) delete env[k];
  }
  return env;
}

const TEXT_TOKENS = [
  '{', '}', '[', ']', ',', ':', '"', "'", '//', '/*', '*/', '\n', 'null', 'true', '{{', '}}', '{{ .CONSUL }}', '{{ if', '{{ end }}',
  '{{ range loop 99999999 }}', '{{ env "X" }}', ...KEYS.map((k) => `${k}: `), ...KEYS.map((k) => `"${k}": 1, `),
];

/** One input: { text, env, command? } (the command after `--`, as `autopilot run` passes it). */
export function generate(random) {
  const seed = pick(random, seeds);
  let text;
  let env = seed.env;
  let via;
  switch (below(random, 8)) {
    case 0:
    case 1:
    case 2: {
      // Text mutations of a fixture: cuts, truncation, byte flips, inserted tokens, unicode, numbers.
      via = 'fixture text mutated';
      text = seed.text;
      for (let n = 1 + below(random, 4); n > 0; n--) text = mutateText(random, text, TEXT_TOKENS);
      break;
    }
    case 3:
    case 4: {
      // Structure-aware: a fixture's tree with nodes replaced, removed or added.
      via = 'fixture tree mutated';
      let t = pick(random, trees);
      for (let n = 1 + below(random, 3); n > 0; n--) t = mutateTree(random, t);
      text = print(random, t);
      if (random() < 0.2) text = mutateText(random, text, TEXT_TOKENS);
      env = {};
      break;
    }
    case 5: {
      // A config generated from the fixtures' vocabulary.
      via = 'generated from the fixtures\' vocabulary';
      const o = object(random);
      if (random() < 0.7) o.jobs = Array.from({ length: size(random, 20) }, () => ({ name: pick(random, STRINGS), exec: pick(random, STRINGS), ...object(random, 1) }));
      text = print(random, o);
      env = {};
      break;
    }
    case 6: {
      // Deep nesting, in JSON5 or in template actions.
      via = 'deep nesting';
      const deep = pick(random, [
        () => nest(random, '[', '1', ']', 20_000),
        () => nest(random, '{a:', '1', '}', 10_000),
        () => `{jobs: ${nest(random, '[', '{name: "a", exec: "x"}', ']', 5_000)}}`,
        () => `{consul: "${nest(random, '{{ if 1 }}', 'x', '{{ end }}', 3_000)}"}`,
        () => `{consul: "{{ ${nest(random, '(', '1', ')', 5_000)} }}"}`,
        () => `{jobs: [{name: "a", exec: "x", when: {source: "${'x.'.repeat(size(random, 10_000))}"}}]}`,
      ]);
      text = deep();
      env = {};
      break;
    }
    default: {
      // Awkward environment values rendered into a fixture with templates.
      via = 'awkward environment';
      const templated = seeds.filter((s) => s.text.includes('{{'));
      const s = pick(random, templated);
      text = s.text;
      env = envFor(random, s.text);
    }
  }
  if (random() < 0.1) env = envFor(random, text);
  const command = random() < 0.05 ? ['app', pick(random, WORDS)] : undefined;
  return command ? { via, text, env, command } : { via, text, env };
}

/** A one-line, trace-free message naming the file, as the loader promises. */
function badLine(line) {
  if (typeof line !== 'string') return `not a string: ${typeof line}`;
  if (/[\n\r]/.test(line)) return 'spans several lines';
  if (/\n\s+at |\bat .*\.[jt]s:\d+/.test(line)) return 'carries a stack trace';
  if (/internal error|\[object Object\]|undefined is not|Cannot read prop|is not a function/.test(line)) return 'leaks an internal failure';
  return undefined;
}

/** 'loaded' or 'refused'; throws an Error describing the failure otherwise. */
export function check({ text, env, command }) {
  let config;
  try {
    config = loadConfigText(text, { file: FILE, env, command });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`uncaught ${err?.name ?? typeof err}: ${String(err?.message ?? err).split('\n')[0]}`);
    if (!Array.isArray(err.errors) || err.errors.length === 0) throw new Error('ConfigError without error lines');
    for (const line of err.errors) {
      const bad = badLine(line);
      if (bad) throw new Error(`ConfigError line ${bad}: ${JSON.stringify(String(line).slice(0, 300))}`);
      if (!line.startsWith(FILE)) throw new Error(`ConfigError line does not name the file: ${JSON.stringify(line.slice(0, 300))}`);
    }
    return 'refused';
  }
  if (!Array.isArray(config?.jobs) || !Array.isArray(config?.watches)) throw new Error('loaded, but not a Config (jobs and watches arrays)');
  for (const w of config.warnings ?? []) {
    const bad = badLine(w);
    if (bad) throw new Error(`warning ${bad}: ${JSON.stringify(String(w).slice(0, 300))}`);
  }
  return 'loaded';
}

/** The parts of an input a report shows (the text is shown separately). */
export const describe = ({ env, command }) => ({ env, ...(command ? { command } : {}) });

/** Whether the input still has content to shrink, and a copy with new text (for minimisation). */
export const withText = (input, text) => ({ ...input, text });
