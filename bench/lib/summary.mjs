// Assembles <outDir>/REPORT.md and its charts (<outDir>/charts/*.svg) from the results every
// benchmark wrote (<outDir>/results/<name>.json, see writeResult in report.mjs). Nothing here
// measures: each figure is copied from a results file, with the command that produced it.
//   node bench/lib/summary.mjs [--smoke]
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms, outDir, repoRoot, smoke, versionOf } from './report.mjs';
import { barChart, lineChart } from './svg.mjs';

/** A value in its unit, as the tables print it. */
export function fmt(unit, v) {
  if (!Number.isFinite(v)) return 'n/a';
  switch (unit) {
    case 'ms':
      return ms(v);
    case 's':
      return `${v.toFixed(2)} s`;
    case 'MiB':
      return `${v.toFixed(1)} MiB`;
    case '%':
      return `${v.toFixed(v < 10 ? 2 : 1)} %`;
    case 'req/s':
      return `${Math.round(v).toLocaleString('en-US')} req/s`;
    case 'µs':
      return `${v.toFixed(v < 10 ? 1 : 0)} µs`;
    default:
      return `${Number(v.toPrecision(4))} ${unit}`;
  }
}

/** 'met' / 'not met' for a row with a goal; '' without one. */
export function verdict(r) {
  if (r.goal === undefined) return '';
  const v = r[r.goal.stat];
  if (!Number.isFinite(v)) return 'n/a';
  const ok = r.goal.better === 'higher' ? v >= r.goal.limit : v <= r.goal.limit;
  return ok ? 'met' : '**not met**';
}

const slug = (s) => s.replace('%', 'percent').replace('µ', 'u').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Reads every results file, sorted by section. */
export function loadResults(dir = join(outDir, 'results')) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .sort((a, b) => (a.section ?? 99) - (b.section ?? 99) || a.name.localeCompare(b.name));
}

/** Writes the charts of one section; returns their file names (relative to outDir). */
function charts(res) {
  const files = [];
  const units = [...new Set(res.rows.map((r) => r.unit))];
  for (const unit of units) {
    const rows = res.rows.filter((r) => r.unit === unit && Number.isFinite(r.median));
    if (rows.length === 0) continue;
    const name = `charts/${res.name}${units.length > 1 ? `-${slug(unit)}` : ''}.svg`;
    const svg = barChart({
      title: `${res.section}. ${res.title}`,
      unit,
      fmt: (v) => fmt(unit, v),
      rows: rows.map((r) => ({ label: r.label, median: r.median, p99: r.n > 1 ? r.p99 : undefined, goal: r.goal?.limit })),
    });
    writeFileSync(join(outDir, name), svg);
    files.push(name);
  }
  (res.series ?? []).forEach((s, i) => {
    const name = `charts/${res.name}-series-${i + 1}.svg`;
    writeFileSync(join(outDir, name), lineChart(s));
    files.push(name);
  });
  return files;
}

/** The Consul the benchmarks ran against (the binary testing/ finds), if any. */
async function consulVersion() {
  try {
    const { findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));
    return versionOf(findConsulBinary(), ['version']);
  } catch {
    return undefined;
  }
}

export async function buildReport(results) {
  rmSync(join(outDir, 'charts'), { recursive: true, force: true });
  mkdirSync(join(outDir, 'charts'), { recursive: true });
  const machine = results[0]?.machine;
  const runtimes = Object.assign({}, ...results.map((r) => r.runtimes ?? {}));
  const dates = results.map((r) => r.generated).sort();
  const lines = [
    '# autopilot benchmarks',
    '',
    `Written by \`npm run bench${smoke ? ' -- --smoke' : ''}\` from the results of each benchmark (bench/results/*.json); every figure below is a measurement from that run, on real processes and a real Consul agent on loopback.${smoke ? ' **Smoke run: short counts, the figures only show that each benchmark works.**' : ''}`,
    '',
    machine ? `Machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.kernel}. Runs from ${dates[0]} to ${dates[dates.length - 1]}.` : 'No results.',
    '',
    `Runtimes: ${Object.entries(runtimes).map(([k, v]) => `${k} ${v}`).join(', ') || 'n/a'}.`,
    '',
    'Medians and p99 are over the samples counted in column n (nearest-rank p99: with fewer than 100 samples it is the largest or second largest). Each section links its detail report, which gives the method and what the measured span includes.',
    '',
    // What users compare first: the side-by-side table against ContainerPilot, before the absolute figures.
    ...results.filter((r) => r.sideBySide).flatMap((r) => [`## ${r.title}`, '', ...r.sideBySide, '']),
    '## Summary',
    '',
    '| # | measurement | n | median | p99 | goal | |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const res of results) {
    lines.push(`| **${res.section}** | **${res.title}** | | | | | |`);
    for (const r of res.rows) {
      lines.push(`| | ${r.label} | ${r.n} | ${fmt(r.unit, r.median)} | ${r.n > 1 ? fmt(r.unit, r.p99) : ''} | ${r.goal ? `${r.goal.stat === 'median' ? 'p50' : r.goal.stat} ${r.goal.text}` : ''} | ${verdict(r)} |`);
    }
  }
  for (const res of results) {
    lines.push('', `## ${res.section}. ${res.title}`, '');
    lines.push(`Command: \`${res.command}\` (${res.generated.slice(0, 16).replace('T', ' ')} UTC; 1-minute load average ${res.loadBefore?.toFixed(2) ?? 'n/a'} before, ${res.loadAfter.toFixed(2)} after). Detail: [report-${res.name}.md](report-${res.name}.md).`);
    lines.push('');
    for (const file of charts(res)) lines.push(`![${res.title}](${file})`, '');
    for (const note of res.notes ?? []) lines.push(note);
  }
  const consul = await consulVersion();
  if (consul) lines.push('', `Consul used by the Consul sections: ${consul} (built from source by scripts/setup-consul.sh).`);
  lines.push('');
  const file = join(outDir, 'REPORT.md');
  writeFileSync(file, lines.join('\n'));
  // The summary table on stdout too, so a CI log shows every figure.
  const table = lines.slice(lines.indexOf('## Summary'), lines.findIndex((l, i) => i > lines.indexOf('## Summary') + 2 && l === ''));
  process.stdout.write(table.join('\n') + '\n');
  return file;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = loadResults();
  if (results.length === 0) {
    process.stderr.write(`bench: no results in ${join(outDir, 'results')}; run a benchmark first\n`);
    process.exit(1);
  }
  const file = await buildReport(results);
  process.stderr.write(`bench: wrote ${file} (${results.length} sections)\n`);
}
