// Config loading: `loadConfigText` (render over the environment, JSON5, validation into the
// model) on every ContainerPilot v3 config of the compat corpus, in process. Writes
// bench/report-config-load.md. Needs dist/ (`npm run build`).
//   node bench/config-load.mjs [--runs N]
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineLine, numberFlag, repoRoot, smoke, statCells, stats, statsRow, writeReport, writeResult } from './lib/report.mjs';

const { loadConfigText, parseConfigText, renderConfigText, ConfigError } = await import(join(repoRoot, 'dist', 'supervisor', 'config', 'index.js'));
const { compatDir } = await import(join(repoRoot, 'dist', 'testing', 'paths.js'));

const RUNS = numberFlag('runs', 200, 10);
const WARMUPS = smoke ? 5 : 50;
const v3Dir = join(compatDir, 'containerpilot-v3');
// As supervisor/config/compat.test.ts: the variables the corpus's templates use, and the
// fragments (bare job arrays, a telemetry block) wrapped into whole configs.
const env = { CONSUL: 'consul', APP_PORT: '8000', ENV_VAR_NAME: 'value', CONSUL_HOST: 'consul' };
function configText(file) {
  const text = readFileSync(join(v3Dir, file), 'utf8');
  if (file.startsWith('jobs__testdata__')) return `{${/\bport:/.test(text) ? 'consul: "localhost:8500", ' : ''}jobs: ${text}}`;
  if (file.startsWith('telemetry__testdata__')) return `{telemetry: ${text}}`;
  return text;
}

/** One load; 'loaded' or 'rejected' (a ConfigError, as the TestErr files expect). */
function load(file, text) {
  try {
    loadConfigText(text, { file, env });
    return 'loaded';
  } catch (err) {
    if (err instanceof ConfigError) return 'rejected';
    throw err;
  }
}

const loadBefore = loadavg()[0];
const files = readdirSync(v3Dir).filter((f) => f.endsWith('.json5')).sort();
if (files.length === 0) throw new Error(`no ContainerPilot v3 configs in ${v3Dir}`);
process.stderr.write(`bench: config-load, ${files.length} files x ${RUNS} loads\n`);
const rows = [];
for (const file of files) {
  const text = configText(file);
  const outcome = load(file, text);
  for (let i = 0; i < WARMUPS; i++) load(file, text);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    load(file, text);
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
  rows.push({ file, bytes: Buffer.byteLength(text), outcome, s: stats(times), parse: stats(parse) });
}
const us = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} µs`);
const all = stats(rows.map((r) => r.s.median));
writeReport('config-load', [
  '# Config loading',
  '',
  machineLine('config-load.mjs', loadBefore),
  '',
  'Command: `node bench/config-load.mjs' + (smoke ? ' --smoke' : RUNS !== 200 ? ` --runs ${RUNS}` : '') + '` (also run by `npm run bench`).',
  '',
  `Across the ${rows.length} files, the per-file medians are: median ${us(all.median)}, p95 ${us(all.p95)}, max ${us(all.max)}.`,
  '',
  '| file (../shared/compat/containerpilot-v3/) | bytes | outcome | median | p95 | max | JSON5 step alone (median) |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.file} | ${r.bytes} | ${r.outcome} | ${statCells(r.s, us)} | ${us(r.parse.median)} |`),
  '',
  '## Method',
  '',
  `- \`loadConfigText(text, { file, env })\` from dist/supervisor/config/index.js, in this process: Go-template render over a ${Object.keys(env).length}-variable environment, JSON5 parse, validation into the typed model. Bare job arrays (jobs/testdata) and the telemetry block are wrapped into whole configs, as the compat tests do; the TestErr files end in a ConfigError, whose time is measured the same way.`,
  `- Per file: ${WARMUPS} warm-up loads, then ${RUNS} timed loads (\`performance.now()\` around each call). The last column times \`parseConfigText\` (JSON5 to a tree) alone on the already rendered text, ${RUNS} times.`,
  '',
]);
writeResult('config-load', {
  section: 11,
  title: 'Config loading (compat corpus)',
  command: `node bench/config-load.mjs${smoke ? ' --smoke' : RUNS !== 200 ? ` --runs ${RUNS}` : ''}`,
  runtimes: { node: process.version },
  loadBefore,
  rows: [statsRow(`loadConfigText, per-file median over the ${rows.length} ContainerPilot v3 files`, 'µs', all)],
});
