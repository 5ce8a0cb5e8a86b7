// The template-engine fuzz target of bench/fuzz.mjs: the Go text/template engine
// (supervisor/template, `renderTemplate` with its default execution limits) and the
// consul-template functions of `autopilot render` (supervisor/render: service, services, key,
// ls, tree, byTag... over a data store filled for whatever the template asks), on templates
// mutated from our own fixtures and the Go case table. An input must render or raise a
// TemplateError whose message is `name:line:col: ...` on one line; anything else (another
// exception, an "internal error", a message over several lines) is a failure.
import { join } from 'node:path';
import { below, DURATION_TEXTS, flipBytes, mutateText, nest, NUMBER_TEXTS, pick, size, truncate, UNICODE } from './fuzz-mutate.mjs';
import { repoRoot } from './report.mjs';

const { renderTemplate, TemplateError } = await import(join(repoRoot, 'dist', 'supervisor', 'template', 'index.js'));
const { mutate, regexTemplate } = await import(join(repoRoot, 'dist', 'supervisor', 'template', 'testdata', 'fuzz-gen.js'));
const { templateFixtures } = await import(join(repoRoot, 'dist', 'supervisor', 'template', 'testdata', 'fixture-files.js'));
const { readCases, revive } = await import(join(repoRoot, 'dist', 'supervisor', 'template', 'testdata', 'go-reference.js'));
const { renderPass } = await import(join(repoRoot, 'dist', 'supervisor', 'render', 'pass.js'));

export const FILE = 'fuzz.ctmpl';
/** The engine's own execution bounds, with fewer steps than the default 5,000,000 so an endless loop costs milliseconds (the config target keeps the defaults). */
export const LIMITS = { maxSteps: 100_000 };

const table = readCases();
const fixtures = templateFixtures();
const SEEDS = [...table.map((c) => c.template), ...fixtures.map((f) => f.text)];
const CT_SEEDS = fixtures.filter((f) => f.name.endsWith('.ctmpl')).map((f) => f.text);

const ACTIONS = [
  'service "web"', 'service "tag.web@dc1|passing,warning"', 'service "web|any"', 'service "bad name"', 'service ""', 'services',
  'services "@dc1"', 'key "a/b"', 'key "/x@dc"', 'keyOrDefault "a" "d"', 'keyExists "a"', 'ls "p"', 'tree "p"', 'byTag (service "web")',
  'byTag "x"', 'range service "web"', 'range services', 'range $t, $s := service "web" | byTag', '.Address', '.Port', '.Tags', '.ID',
  '.Name', '.Node', '.ServiceMeta', '.Key', '.Value', 'toLower', 'toUpper', 'trimSpace', 'split ","', 'env "HOME"', 'join ","', 'end',
  'if', 'else', 'with', '$x :=', '$x', 'index . 0', 'len', 'printf "%v"', 'eq', 'ne', 'and', 'or', 'not',
];
const VERBS = ['v', '+v', '#v', 'T', 'd', 's', 'q', 'x', 'X', 'o', 'O', 'b', 'e', 'E', 'f', 'F', 'g', 'G', 'c', 'U', 't', 'p', '%', 'z', '!'];
const ARGS = ['1', '-1', '1.5', '"s"', '`raw`', "'a'", 'nil', 'true', '.', '.arr', '.m', '.s', '.i', '.uni', '.svc', '$', ...NUMBER_TEXTS, ...DURATION_TEXTS.map((d) => JSON.stringify(d))];

/** A printf with random flags, width, precision, argument index and verb. */
function printf(random) {
  const flags = Array.from({ length: below(random, 3) }, () => pick(random, ['-', '+', '#', ' ', '0'])).join('');
  const width = random() < 0.3 ? pick(random, ['*', String(below(random, 30)), '99999999', '[2]*']) : '';
  const prec = random() < 0.3 ? `.${pick(random, ['*', String(below(random, 30)), '99999999', '[1]*'])}` : '';
  const index = random() < 0.1 ? `[${below(random, 4)}]` : '';
  const args = Array.from({ length: below(random, 4) }, () => pick(random, ARGS)).join(' ');
  return `{{ printf "%${flags}${width}${prec}${index}${pick(random, VERBS)}" ${args} }}`;
}

/** A random action: tokens of the engine and of consul-template, in any order. */
const action = (random) => `{{ ${Array.from({ length: 1 + below(random, 5) }, () => pick(random, random() < 0.5 ? ACTIONS : ARGS)).join(pick(random, [' ', ' | ', ' (', ') ']))} }}`;

/** Values of the data store for each dependency a pass found missing (as Consul would answer). */
function fill(random, brain, missing) {
  for (const dep of missing) {
    if (dep.kind === 'kv') brain.set(dep.key, random() < 0.2 ? null : pick(random, ['', 'v', ...UNICODE, ...NUMBER_TEXTS]));
    else if (dep.kind === 'ls') brain.set(dep.key, Array.from({ length: below(random, 4) }, (_, i) => ({ Key: pick(random, [`k${i}`, '', 'a/', 'a/b', '/']), Value: pick(random, ['', 'v', ...UNICODE]) })));
    else if (dep.kind === 'services') brain.set(dep.key, Array.from({ length: below(random, 4) }, (_, i) => ({ Name: pick(random, ['web', 'db', `s${i}`, '']), Tags: random() < 0.1 ? null : [pick(random, ['a', 'b', ''])] })));
    else {
      brain.set(dep.key, Array.from({ length: below(random, 4) }, (_, i) => ({
        Node: `n${i}`, Address: pick(random, ['10.0.0.1', '::1', '', ...UNICODE]), ID: `${dep.name}-${i}`, Name: dep.name,
        Port: pick(random, [0, 80, 65535, 65536, -1, 1.5]), Tags: random() < 0.1 ? null : [pick(random, ['a', 'b', ''])], ServiceMeta: { v: '1' },
      })));
    }
  }
}

/** One input: { text, kind: 'engine' (data, env) or 'render' (a render pass, data seeded by `fill`) }. */
export function generate(random) {
  const dataCase = pick(random, table);
  const engine = (text) => ({ kind: 'engine', text, data: dataCase.data, env: dataCase.env });
  const r = below(random, 12);
  if (r <= 3) return engine(mutate(SEEDS, random, { huge: random() < 0.02 }));
  if (r === 4) return engine(regexTemplate(random));
  if (r === 5) {
    let text = pick(random, SEEDS);
    for (let n = 1 + below(random, 4); n > 0; n--) text = random() < 0.5 ? mutateText(random, text, ACTIONS.map((a) => `{{ ${a} }}`)) : flipBytes(random, text);
    return engine(text);
  }
  if (r === 6) return engine(Array.from({ length: 1 + below(random, 4) }, () => (random() < 0.5 ? printf(random) : action(random))).join(pick(random, ['', '\n', 'x'])));
  if (r === 7) {
    const deep = pick(random, [
      () => nest(random, '{{ if 1 }}', 'x', '{{ end }}', 3_000),
      () => `{{ ${nest(random, '(', '1', ')', 5_000)} }}`,
      () => nest(random, '{{ range .arr }}', '{{ . }}', '{{ end }}', 1_000),
      () => nest(random, '{{ with . }}', '{{ . }}', '{{ end }}', 3_000),
      () => `{{ define "r" }}${nest(random, '{{ template "r" . }}', '', '', 3)}{{ end }}{{ template "r" . }}`,
      () => `{{ ${'print '.repeat(size(random, 2_000))}1 }}`,
      () => `{{ $x := 1 }}${'{{ $x = printf "%s%s" $x $x }}'.repeat(size(random, 40))}`,
      () => truncate(random, pick(random, SEEDS)) + pick(random, ['{{', '{{/*', '{{ "', '{{ `', "{{ '", '{{ if 1 }}']),
    ]);
    return engine(deep());
  }
  // consul-template's functions through a render pass of `autopilot render`.
  let text = random() < 0.5 ? pick(random, CT_SEEDS) : action(random);
  for (let n = below(random, 4); n > 0; n--) text = random() < 0.6 ? mutate([text], random) : mutateText(random, text, ACTIONS.map((a) => `{{ ${a} }}`));
  return { kind: 'render', text, seed: below(random, 2 ** 31), env: dataCase.env };
}

/** A one-line `fuzz.ctmpl:line:col: ...` message, or what is wrong with it. */
function badMessage(m) {
  if (typeof m !== 'string') return 'not a string';
  if (!/^fuzz\.ctmpl:\d+:\d+: \S/.test(m)) return 'does not start with name:line:col';
  if (/[\n\r]/.test(m)) return 'spans several lines';
  if (/internal error|\[object Object\]|Cannot read prop|is not a function|undefined is not/.test(m)) return 'leaks an internal failure';
  return undefined;
}

function checkError(e) {
  if (!(e instanceof TemplateError)) throw new Error(`uncaught ${e?.name ?? typeof e}: ${String(e?.message ?? e).split('\n')[0]}`);
  const bad = badMessage(e.message);
  if (bad) throw new Error(`TemplateError message ${bad}: ${JSON.stringify(e.message.slice(0, 300))}`);
  return 'refused';
}

/** 'rendered' or 'refused'; throws an Error describing the failure otherwise. */
export function check(input) {
  if (input.kind === 'engine') {
    try {
      const out = renderTemplate(input.text, revive(input.data), { name: FILE, env: input.env, limits: LIMITS });
      if (typeof out !== 'string') throw new Error(`rendered a ${typeof out}, not a string`);
      return 'rendered';
    } catch (e) {
      return checkError(e);
    }
  }
  // As resolveTemplate does: render, fill what the pass found missing, render again (bounded).
  let x = input.seed >>> 0;
  const random = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296);
  const brain = new Map();
  for (let round = 0; round < 4; round++) {
    const pass = renderPass(input.text, FILE, brain, input.env);
    if (pass.error) return checkError(pass.error);
    if (typeof pass.output !== 'string') throw new Error('a render pass gave neither output nor error');
    if (pass.missing.size === 0) return 'rendered';
    fill(random, brain, pass.missing.values());
  }
  return 'rendered';
}

export const describe = (input) => (input.kind === 'engine' ? { kind: 'renderTemplate', data: input.data, env: input.env } : { kind: 'render pass (consul-template functions)', storeSeed: input.seed, env: input.env });

export const withText = (input, text) => ({ ...input, text });
