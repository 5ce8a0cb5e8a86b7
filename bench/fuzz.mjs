// Fuzz: the config loader (what `autopilot run` and `validate` do to a config file) and the
// template engine (Go text/template, and the consul-template functions of `autopilot render`),
// each on 100,000 generated inputs by default, in two worker threads. Inputs are structure-aware
// mutations of our own fixtures (bench/lib/fuzz-config.mjs, bench/lib/fuzz-template.mjs), each a
// function of (seed, target, index). A failure is an exception other than the loader's
// ConfigError or the engine's TemplateError, a message that is not one line naming the file (or
// carries a stack trace or an "internal error"), or an input over the per-input time bound; a
// hung input is named by the watchdog and the run carries on after it. Any failure exits 1.
// `--smoke` runs the full count too: it is the standing budget of every CI run, seeded from the
// commit so that a commit's CI verdict does not depend on the draw.
//   node bench/fuzz.mjs [--smoke] [--seed N] [--count N] [--target config|template]
//   node bench/fuzz.mjs --seed N --target T --index I     (replays one input and prints it)
// Needs dist/ (`npm run build`).
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { inputRandom, loadTarget, TARGETS } from './lib/fuzz-targets.mjs';
import { machineLine, numberFlag, smoke, writeReport, writeResult } from './lib/report.mjs';

const flag = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
/**
 * `--seed` if given. A smoke run (CI) takes its seed from the commit it runs on, so CI's verdict
 * on a commit is the same on every machine and a failure replays from the commit alone, while
 * each new commit still explores new inputs. Any other run draws a random seed.
 */
function commitSeed() {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: new URL('..', import.meta.url), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return /^[0-9a-f]{8}/.test(head) ? Number.parseInt(head.slice(0, 8), 16) >>> 0 : undefined;
  } catch {
    return undefined; // not a git checkout, or no git: a random seed
  }
}
const SEED = flag('seed') !== undefined ? Number(flag('seed')) >>> 0 : ((smoke ? commitSeed() : undefined) ?? randomInt(2 ** 32));
const COUNT = numberFlag('count', 100_000);
const targets = flag('target') !== undefined ? [flag('target')] : TARGETS;
/** An input slower than this is a failure; one that makes no progress for HANG_MS is a hang. */
const SLOW_MS = numberFlag('slow-ms', 5000);
const HANG_MS = numberFlag('hang-ms', 30_000);
/** Failures shown in full per target (the rest are counted). */
const SHOWN = 5;

process.stderr.write(`bench: fuzz, seed ${SEED} (replay: --seed ${SEED}), ${COUNT} inputs per target: ${targets.join(', ')}\n`);

/** Replays input `index` in this thread: its text, the rest of the input, the outcome. */
async function replay(name, index) {
  const target = await loadTarget(name);
  const input = target.generate(inputRandom(SEED, name, index));
  let outcome;
  try {
    outcome = target.check(input);
  } catch (err) {
    outcome = `FAILURE: ${err.message}`;
  }
  return { input, outcome, target };
}

if (flag('index') !== undefined) {
  const { input, outcome, target } = await replay(targets[0], Number(flag('index')));
  process.stdout.write(`${JSON.stringify({ text: input.text, ...target.describe(input) }, null, 2)}\noutcome: ${outcome}\n`);
  process.exit(outcome.startsWith('FAILURE') ? 1 : 0);
}

/**
 * Shortest text (by removing chunks, halving their size) that still fails with the same kind
 * of message; bounded in time, so a slow input is not shrunk forever.
 */
function minimise(target, input, kind, budgetMs = 5000) {
  const fails = (text) => {
    try {
      target.check(target.withText(input, text));
      return false;
    } catch (err) {
      return err.message.slice(0, 40) === kind;
    }
  };
  let text = input.text;
  const end = performance.now() + budgetMs;
  for (let chunk = Math.max(1, Math.floor(text.length / 2)); chunk >= 1 && performance.now() < end; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at < text.length && performance.now() < end; ) {
      const shorter = text.slice(0, at) + text.slice(at + chunk);
      if (fails(shorter)) text = shorter;
      else at += chunk;
    }
  }
  return text;
}

/** Runs one target in workers from `start` on; a hung worker is ended and a new one takes the next input. */
function runTarget(name) {
  return new Promise((resolve) => {
    const result = { name, count: 0, outcomes: {}, failures: [], hangs: 0, genMs: 0, checkMs: 0, slowest: [], workers: 0, wallMs: 0 };
    const t0 = performance.now();
    const launch = (start) => {
      const progress = new SharedArrayBuffer(4);
      const cell = new Int32Array(progress);
      Atomics.store(cell, 0, start);
      const count = COUNT - start;
      const worker = new Worker(new URL('./lib/fuzz-worker.mjs', import.meta.url), { workerData: { target: name, seed: SEED, start, count, progress, slowMs: SLOW_MS } });
      result.workers++;
      let last = start;
      let lastMoved = performance.now();
      const watchdog = setInterval(() => {
        const now = Atomics.load(cell, 0);
        if (now !== last) {
          last = now;
          lastMoved = performance.now();
        } else if (performance.now() - lastMoved > HANG_MS) {
          clearInterval(watchdog);
          result.failures.push({ index: now, message: `hang: no result after ${HANG_MS} ms` });
          result.hangs++;
          result.count += now - start + 1;
          settle(start, now);
          worker.terminate().then(() => (now + 1 < COUNT ? launch(now + 1) : finish()));
        }
      }, 250);
      const add = (outcomes) => {
        for (const [k, v] of Object.entries(outcomes)) result.outcomes[k] = (result.outcomes[k] ?? 0) + v;
      };
      worker.on('message', (m) => {
        if (m.failure) result.failures.push(m.failure);
        if (m.partial) add(m.partial);
        if (m.done) {
          clearInterval(watchdog);
          result.count += count;
          add(m.done.outcomes);
          result.genMs += m.done.genMs;
          result.checkMs += m.done.checkMs;
          result.slowest = [...result.slowest, ...m.done.slowest].sort((a, b) => b.ms - a.ms).slice(0, 5);
          result.consoleLines = (result.consoleLines ?? 0) + m.done.consoleLines;
          result.consoleSample ??= m.done.consoleSample;
          finish();
        }
      });
      worker.on('error', (err) => {
        clearInterval(watchdog);
        const at = Atomics.load(cell, 0);
        result.failures.push({ index: at, message: `the worker died: ${err.message}` });
        result.count += at - start + 1;
        settle(start, at);
        if (at + 1 < COUNT) launch(at + 1);
        else finish();
      });
    };
    /** A worker ended at input `at`: that input failed; those since its last report of outcomes are counted apart. */
    const settle = (start, at) => {
      const reported = start + Math.floor((at - start) / 500) * 500;
      result.outcomes.failure = (result.outcomes.failure ?? 0) + 1;
      if (at > reported) result.outcomes['checked, outcome lost with the ended worker'] = (result.outcomes['checked, outcome lost with the ended worker'] ?? 0) + (at - reported);
    };
    const finish = () => {
      result.wallMs = performance.now() - t0;
      resolve(result);
    };
    launch(0);
  });
}

const loadBefore = loadavg()[0];
const results = await Promise.all(targets.map(runTarget));
// The failures shown: replayed here (an input that hung is not run again), with a minimal text.
for (const r of results) {
  const target = await loadTarget(r.name);
  r.shown = [];
  const kinds = new Set();
  for (const f of r.failures) {
    const kind = f.message.slice(0, 40);
    if (kinds.has(kind) || r.shown.length >= SHOWN) continue;
    kinds.add(kind);
    const input = target.generate(inputRandom(SEED, r.name, f.index));
    const minimal = f.message.startsWith('hang') || f.message.startsWith('took') ? undefined : minimise(target, input, kind);
    r.shown.push({ ...f, text: input.text.slice(0, 2000), textLength: input.text.length, minimal, rest: target.describe(input) });
  }
}

const total = results.reduce((a, r) => a + r.count, 0);
const failures = results.reduce((a, r) => a + r.failures.length, 0);
const rate = (r) => r.count / (r.checkMs / 1000);
const wallRate = (r) => r.count / (r.wallMs / 1000);
const flags = process.argv.slice(2).filter((a, i, all) => a !== '--seed' && all[i - 1] !== '--seed');
const command = `node bench/fuzz.mjs --seed ${SEED}${flags.length ? ` ${flags.join(' ')}` : ''}`;
const fmtN = (n) => n.toLocaleString('en-US');
const quoted = (s) => '`' + JSON.stringify(s).replace(/`/g, '\\`') + '`';
const VIA = {
  config: 'loadConfigText(text, { file, env, command }) from dist/supervisor/config: Go-template render over env, JSON5 with the duplicate-key check and comma repair, 2.x translation, validation, when-source warnings',
  template: 'renderTemplate(text, data, { env, limits: { maxSteps: 100000 } }) from dist/supervisor/template, and a render pass of autopilot render (dist/supervisor/render/pass.js: service, services, key, keyOrDefault, ls, tree, byTag...) over a data store filled for what the template asks',
};
writeResult('fuzz', {
  section: 12,
  title: 'Fuzz: config loader and template engine',
  command,
  runtimes: { node: process.version },
  loadBefore,
  rows: [
    ...results.map((r) => ({ label: `${r.name}: inputs checked (seed ${SEED})`, unit: 'inputs', n: 1, median: r.count, p99: r.count, min: r.count, max: r.count, goal: { text: '>= 100,000', stat: 'median', limit: 100_000, better: 'higher' } })),
    ...results.map((r) => ({ label: `${r.name}: inputs per second (one worker thread, check time only)`, unit: 'inputs/s', n: 1, median: rate(r), p99: rate(r), min: rate(r), max: rate(r) })),
    { label: 'failures: uncaught exceptions, bad messages, over-time or hung inputs', unit: 'failures', n: 1, median: failures, p99: failures, min: failures, max: failures, goal: { text: '0', stat: 'max', limit: 0, better: 'lower' } },
  ],
  notes: [
    `Seed ${SEED}; ${results.map((r) => `${r.name}: ${fmtN(r.count)} inputs (${Object.entries(r.outcomes).map(([k, v]) => `${fmtN(v)} ${k}`).join(', ')}), ${Math.round(wallRate(r))} inputs/s wall`).join('; ')}. Failures: ${failures}.`,
  ],
  seed: SEED,
  targets: results.map((r) => ({ name: r.name, count: r.count, outcomes: r.outcomes, failures: r.failures.length, hangs: r.hangs, inputsPerSecond: rate(r), wallSeconds: r.wallMs / 1000, slowest: r.slowest, consoleLines: r.consoleLines ?? 0, shown: r.shown })),
});
writeReport('fuzz', [
  '# Fuzz: the config loader and the template engine',
  '',
  machineLine('fuzz.mjs', loadBefore),
  '',
  `Command: \`${command}\` (also run by \`npm run bench\` and, with the same count, by \`npm run bench -- --smoke\` in CI). Replay one input: \`node bench/fuzz.mjs --seed ${SEED} --target <target> --index <i>\`.`,
  '',
  failures === 0 ? `**No failures** in ${fmtN(total)} inputs.` : `**${failures} failure(s)** in ${fmtN(total)} inputs (the run exits 1).`,
  '',
  '| target | inputs | outcomes | failures | hangs | inputs/s (check time, one thread) | wall time | slowest inputs (index: ms) |',
  '|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.name} | ${fmtN(r.count)} | ${Object.entries(r.outcomes).map(([k, v]) => `${k} ${fmtN(v)}`).join(', ')} | ${r.failures.length} | ${r.hangs} | ${fmtN(Math.round(rate(r)))} | ${(r.wallMs / 1000).toFixed(1)} s | ${r.slowest.map((s) => `${s.index}: ${s.ms.toFixed(0)}`).join(', ')} |`),
  '',
  ...results.flatMap((r) => (r.shown.length === 0 ? [] : [
    `## Failures of ${r.name} (${r.failures.length}; the first of each kind)`,
    '',
    ...r.shown.flatMap((f) => [
      `- input ${f.index}: ${f.message}`,
      `  - replay: \`node bench/fuzz.mjs --seed ${SEED} --target ${r.name} --index ${f.index}\``,
      ...(f.minimal !== undefined ? [`  - minimal text: ${quoted(f.minimal.slice(0, 500))}`] : []),
      `  - text (${f.textLength} characters${f.textLength > 2000 ? ', first 2000' : ''}): ${quoted(f.text.slice(0, f.minimal === undefined ? 2000 : 300))}`,
    ]),
    '',
  ])),
  ...results.filter((r) => r.consoleLines).map((r) => `Not a failure, noted: during the ${r.name} target something wrote ${fmtN(r.consoleLines)} lines to the console (first: ${quoted(r.consoleSample)}).`),
  '',
  '## Method',
  '',
  `- Targets, each in its own worker thread (two cores: both at once): ${targets.map((t) => `**${t}**: ${VIA[t]}`).join('; ')}.`,
  `- Inputs (bench/lib/fuzz-config.mjs, bench/lib/fuzz-template.mjs, bench/lib/fuzz-mutate.mjs): mutations of our own fixtures (testing/config-fixtures.ts: the v3 configs, job arrays, telemetry block and 2.x configs; the template fixtures and the Go case table of supervisor/template/testdata): cuts, truncation, byte flips (decoded as UTF-8 or Latin-1), inserted tokens of the target's own grammar, unicode (NUL, U+2028, lone surrogates, right-to-left marks, combining marks), huge numbers (1e309, 2^63, 400 digits) and Go durations (720h, -1s, 1e309, 2562048h, 9223372036854775808ns); tree mutations of the fixtures' parsed trees (a node replaced by another type, removed, added, a job repeated); configs generated from the fixtures' own keys; deep nesting (up to 20,000 levels of JSON5, 5,000 of template parentheses, 3,000 of if/with); awkward environment values rendered into templated configs; printf with random flags, widths and verbs; random Go regexps; consul-template functions over random service, KV and key-list answers.`,
  `- Each input comes from its own PRNG stream (mulberry32 seeded from seed, target and index), so \`--seed ${SEED} --index i\` replays input i on any machine; a run's seed is random unless given, except under \`--smoke\`, which takes the first 32 bits of the commit hash.`,
  `- A failure: any exception other than ConfigError (config) or TemplateError (template); a ConfigError line or warning that spans several lines, does not start with the file name, or carries a stack trace or "internal error"; a TemplateError message not of the form \`fuzz.ctmpl:line:col: ...\` on one line (the engine turns unexpected exceptions into "internal error" TemplateErrors, so those count too); an input whose check takes over ${SLOW_MS} ms; a worker that makes no progress for ${HANG_MS} ms (a hang: the worker is ended, the input named, and a new worker carries on after it).`,
  '- Shown failures are replayed in the main thread and shrunk by removing chunks while the failure keeps its kind (at most 5 s each).',
  '',
]);
if (failures > 0) {
  process.stderr.write(`bench: fuzz found ${failures} failure(s); see the report\n`);
  process.exitCode = 1;
}
