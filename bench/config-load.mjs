// Config loading: `loadConfigText` (render over the environment, JSON5, validation into the
// model) on every ContainerPilot v3 config of our fixtures (supervisor/config/testdata), or of a
// compatibility corpus with --corpus <dir>, in process. Writes bench/report-config-load.md.
// Needs dist/ (`npm run build`).
//   node bench/config-load.mjs [--runs N] [--corpus ../shared/compat]
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchConfigs } from './lib/configs.mjs';
import { machineLine, numberFlag, repoRoot, smoke, statCells, stats, statsRow, writeReport, writeResult } from './lib/report.mjs';

const { loadConfigText, parseConfigText, renderConfigText, ConfigError } = await import(join(repoRoot, 'dist', 'supervisor', 'config', 'index.js'));
const { fullEnv } = await import(join(repoRoot, 'dist', 'supervisor', 'template', 'testdata', 'file-cases.js'));

const RUNS = numberFlag('runs', 200, 10);
const WARMUPS = smoke ? 5 : 50;
// Fragments (bare job arrays, a telemetry block) come wrapped into whole configs.
const configs = benchConfigs();

/** One load; 'loaded' or 'rejected' (a ConfigError, as the refused job arrays expect). */
function load(file, text, env) {
  try {
    loadConfigText(text, { file, env });
    return 'loaded';
  } catch (err) {
    if (err instanceof ConfigError) return 'rejected';
    throw err;
  }
}

const loadBefore = loadavg()[0];
const files = configs.files;
if (files.length === 0) throw new Error(`no ContainerPilot v3 configs in ${configs.folder}`);
process.stderr.write(`bench: config-load, ${files.length} files of ${configs.folder} x ${RUNS} loads\n`);
const rows = [];
for (const { name: file, text, bytes } of files) {
  // Every variable the file's templates use is set (an unset one would render empty).
  const env = fullEnv(text);
  const outcome = load(file, text, env);
  for (let i = 0; i < WARMUPS; i++) load(file, text, env);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    load(file, text, env);
    times.push((performance.now() - t0) * 1000);
  }
  // The JSON5 step alone, on the rendered text: where most of a load goes.
  const rendered = renderConfigText(text, { file, env });
  const parse = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    parseConfigText(rendered, { file, original: text });
    parse.push((performance.now() - t0) * 1000);
  }
  rows.push({ file, bytes, outcome, s: stats(times), parse: stats(parse) });
}
const us = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} µs`);
const all = stats(rows.map((r) => r.s.median));
const command = `node bench/config-load.mjs${smoke ? ' --smoke' : RUNS !== 200 ? ` --runs ${RUNS}` : ''}${configs.flag}`;
writeReport('config-load', [
  '# Config loading',
  '',
  machineLine('config-load.mjs', loadBefore),
  '',
  `Command: \`${command}\` (also run by \`npm run bench\`).`,
  '',
  `What it loads: ${configs.source} (${configs.folder}). Across the ${rows.length} files, the per-file medians are: median ${us(all.median)}, p95 ${us(all.p95)}, max ${us(all.max)}.`,
  '',
  `| file (${configs.folder}) | bytes | outcome | median | p95 | max | JSON5 step alone (median) |`,
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.file} | ${r.bytes} | ${r.outcome} | ${statCells(r.s, us)} | ${us(r.parse.median)} |`),
  '',
  '## Method',
  '',
  `- \`loadConfigText(text, { file, env })\` from dist/supervisor/config/index.js, in this process: Go-template render over an environment that sets every variable the file's templates use, JSON5 parse, validation into the typed model. Bare job arrays and the telemetry block are wrapped into whole configs, as the config tests do; the job arrays written to be refused end in a ConfigError, whose time is measured the same way.`,
  `- The files: ${configs.corpus ? 'a compatibility corpus given with `--corpus` (or $AUTOPILOT_COMPAT_DIR)' : 'our own fixtures by default; `--corpus <dir>` (or $AUTOPILOT_COMPAT_DIR) loads the containerpilot-v3/ configs of a corpus laid out as ../shared/compat instead'}.`,
  `- Per file: ${WARMUPS} warm-up loads, then ${RUNS} timed loads (\`performance.now()\` around each call). The last column times \`parseConfigText\` (JSON5 to a tree) alone on the already rendered text, ${RUNS} times.`,
  '',
]);
writeResult('config-load', {
  section: 11,
  title: `Config loading (${configs.corpus ? 'compat corpus' : 'config fixtures'})`,
  command,
  runtimes: { node: process.version },
  loadBefore,
  rows: [statsRow(`loadConfigText, per-file median over the ${rows.length} ContainerPilot v3 files${configs.corpus ? ' of the corpus' : ' of our fixtures'}`, 'µs', all)],
});
