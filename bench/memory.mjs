// Where the supervisor's memory goes, by part, on each runtime: the runtime's own floor (an idle
// timer), the Node built-in modules the supervisor loads, each third-party dependency on top of
// those, all of them, then `autopilot run` itself (one job; five jobs with 1 s exec checks), with
// the runtime's own counters (heap, external, array buffers) read inside the idle supervisor.
// Each probe is a whole process; its VmRSS is split into anonymous memory (heap, JIT code,
// buffers) and file-backed pages (the executable and libraries actually touched).
// Writes bench/report-memory.md and results/memory.json.
//   node bench/memory.mjs [--smoke] [--rss-runs N]
// Needs `npm run build:binary` (dist/ and the x64 binary) and `npm ci` (bun, deno).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CONTAINERPILOT } from './lib/peers.mjs';
import { machineLine, numberFlag, repoRoot, row, sleep, smoke, writeReport, writeResult } from './lib/report.mjs';

const RSS_RUNS = numberFlag('rss-runs', 3, 1);
const SETTLE_MS = smoke ? 1500 : 5000;
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const binary = join(repoRoot, 'dist', 'bin', 'autopilot-linux-x64');
const cli = join(repoRoot, 'dist', 'cli', 'index.js');
for (const [path, hint] of [[binary, 'npm run build:binary'], [bin('bun'), 'npm ci'], [bin('deno'), 'npm ci']]) {
  if (!existsSync(path)) {
    process.stderr.write(`bench/memory: ${path} is missing: run \`${hint}\` first\n`);
    process.exit(1);
  }
}

// The built-ins the supervisor's run path loads (process, sockets, HTTP for the control socket,
// telemetry and Consul, terminals for the log, hashes for checks).
const BUILTINS = ['child_process', 'crypto', 'dns', 'events', 'fs', 'http', 'net', 'os', 'path', 'stream', 'tty', 'url', 'util'];
// The runtime dependencies `autopilot run` can load (package.json), heaviest suspects first.
const DEPS = ['prom-client', 'consul', 'json5', 'yaml', 'cac', 'kleur'];

const loadBefore = loadavg()[0];
// Inside node_modules/.cache so that Node, Deno and `bun build` resolve the dependencies from the
// repository's node_modules, as the product does.
const cacheDir = join(repoRoot, 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true });
const dir = mkdtempSync(join(cacheDir, 'autopilot-bench-memory-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function probeSource(deps, builtins = true) {
  const names = [...(builtins ? BUILTINS.map((b) => `node:${b}`) : []), ...deps];
  return [
    ...names.map((n, i) => `import * as m${i} from '${n}';`),
    `globalThis.keep = [${names.map((_, i) => `m${i}`).join(', ')}];`,
    // A long timer keeps the process alive and idle.
    'setInterval(() => {}, 1 << 30);',
    '',
  ].join('\n');
}

const PROBES = [
  { name: 'floor', label: 'runtime floor (an idle timer)', src: probeSource([], false) },
  { name: 'builtins', label: `+ Node built-ins (${BUILTINS.length})`, src: probeSource([]) },
  ...DEPS.map((d) => ({ name: d, label: `built-ins + ${d}`, src: probeSource([d]) })),
  { name: 'all-deps', label: 'built-ins + every dependency', src: probeSource(DEPS) },
];

/** argv per runtime for a probe file (the binary: compiled once per probe, as the product is). */
function probeArgv(runtime, file) {
  if (runtime === 'node') return [process.execPath, file];
  if (runtime === 'bun') return [bin('bun'), file];
  if (runtime === 'deno') return [bin('deno'), 'run', '-A', file];
  const out = file.replace(/\.mjs$/, '');
  if (!existsSync(out)) {
    const r = spawnSync(bin('bun'), ['build', file, '--compile', '--minify', `--outfile=${out}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`bun build --compile ${file} failed`);
  }
  return [out];
}

const REPORTER = join(dir, 'reporter.mjs');
// Preloaded into the supervisor: after it settles, the runtime's own counters into a file.
writeFileSync(REPORTER, `
import { writeFileSync } from 'node:fs';
const out = process.env.AUTOPILOT_BENCH_MEMORY_OUT;
setTimeout(async () => {
  const u = process.memoryUsage();
  const r = { rss: u.rss, heapUsed: u.heapUsed, heapTotal: u.heapTotal, external: u.external, arrayBuffers: u.arrayBuffers };
  if (process.versions.bun) {
    const s = (await import('bun:jsc')).heapStats();
    r.jscHeapSize = s.heapSize; r.jscExtra = s.extraMemorySize; r.objects = s.objectCount;
  } else if (!globalThis.Deno) {
    const v8 = await import('node:v8');
    for (const sp of v8.getHeapSpaceStatistics()) r['v8_' + sp.space_name] = sp.space_used_size;
  }
  writeFileSync(out, JSON.stringify(r));
}, ${SETTLE_MS}).unref();
`);

function runtimeCli(runtime, preload) {
  if (runtime === 'node') return [process.execPath, ...(preload ? ['--import', preload] : []), cli];
  if (runtime === 'bun') return [bin('bun'), ...(preload ? ['--preload', preload] : []), cli];
  if (runtime === 'deno') return [bin('deno'), 'run', '-A', ...(preload ? ['--preload', preload] : []), cli];
  return [binary];
}

function writeConfig(name, jobs) {
  const path = join(dir, `${name}.json5`);
  writeFileSync(path, JSON.stringify({ consul: '127.0.0.1:9', jobs }, null, 2));
  return path;
}
const ONE = writeConfig('one', [{ name: 'app', exec: 'sleep 1000' }]);
const FIVE = writeConfig('five', Array.from({ length: 5 }, (_, i) => ({
  name: `app${i}`, exec: 'sleep 1000', health: { exec: 'true', interval: 1, ttl: 5 },
})));

function memOf(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB$`, 'm').exec(s)?.[1] ?? NaN);
  // Pss: file pages shared with other processes (another container of the same image) count
  // once per host, split between them.
  const pss = Number(/^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN);
  return { rss: kib('VmRSS'), anon: kib('RssAnon'), file: kib('RssFile'), pss };
}

/** Median (by RSS) of RSS_RUNS settled samples of `argv`, each a fresh process. */
async function measure(argv, env = {}) {
  const samples = [];
  for (let i = 0; i < RSS_RUNS; i++) {
    const child = spawn(argv[0], argv.slice(1), { cwd: dir, stdio: 'ignore', env: { ...process.env, ...env } });
    const exited = new Promise((r) => child.once('exit', r));
    await sleep(SETTLE_MS + 500);
    if (child.exitCode !== null) throw new Error(`${argv.join(' ')} exited early (${child.exitCode})`);
    samples.push(memOf(child.pid));
    child.kill('SIGTERM');
    await exited;
  }
  samples.sort((a, b) => a.rss - b.rss);
  return samples[(samples.length - 1) >> 1];
}

const RUNTIMES = ['binary', 'node', 'bun', 'deno'];
const result = { settleMs: SETTLE_MS, rssRuns: RSS_RUNS, builtins: BUILTINS, byRuntime: {} };
for (const runtime of RUNTIMES) {
  const r = { probes: {}, supervisor: {}, counters: null };
  for (const p of PROBES) {
    const file = join(dir, `${p.name}.mjs`);
    writeFileSync(file, p.src);
    r.probes[p.name] = await measure(probeArgv(runtime, file));
  }
  r.supervisor.one = await measure([...runtimeCli(runtime), 'run', '--config', ONE]);
  r.supervisor.five = await measure([...runtimeCli(runtime), 'run', '--config', FIVE]);
  if (runtime !== 'binary') {
    const out = join(dir, `counters-${runtime}.json`);
    await measure([...runtimeCli(runtime, REPORTER), 'run', '--config', ONE], { AUTOPILOT_BENCH_MEMORY_OUT: out });
    r.counters = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : null;
  }
  result.byRuntime[runtime] = r;
  process.stderr.write(`bench/memory: ${runtime} done\n`);
}
// The reference: ContainerPilot 3.8 (built from source, ../shared/bin) on the same 5-job config.
if (existsSync(CONTAINERPILOT)) result.containerpilot = await measure([CONTAINERPILOT, '-config', FIVE]);
// Two supervisors of the same binary at once, as two replicas of one image on a host: Pss of one.
{
  const other = spawn(binary, ['run', '--config', FIVE], { cwd: dir, stdio: 'ignore' });
  await sleep(500);
  result.binaryBeside = await measure([binary, 'run', '--config', FIVE]);
  other.kill('SIGTERM');
}
const toMiB = (kib) => kib / 1024;
writeResult('memory', {
  section: 13,
  title: 'Memory by part',
  command: `node bench/memory.mjs${smoke ? ' --smoke' : ''}`,
  loadBefore,
  rows: [
    ...(result.containerpilot ? [row('ContainerPilot 3.8: RSS, 5 jobs with exec checks', 'MiB', [toMiB(result.containerpilot.rss)])] : []),
    ...RUNTIMES.flatMap((rt) => [
      row(`${rt}: RSS, 5 jobs with exec checks`, 'MiB', [toMiB(result.byRuntime[rt].supervisor.five.rss)]),
      row(`${rt}: of which anonymous`, 'MiB', [toMiB(result.byRuntime[rt].supervisor.five.anon)]),
      row(`${rt}: runtime floor`, 'MiB', [toMiB(result.byRuntime[rt].probes.floor.rss)]),
    ]),
    row('binary: Pss with a second replica beside it', 'MiB', [toMiB(result.binaryBeside.pss)]),
  ],
  ...result,
});

const mib = (kib) => (kib / 1024).toFixed(1);
const delta = (a, b) => `${a - b >= 0 ? '+' : ''}${mib(a - b)}`;
const lines = [
  '# Memory by part',
  '',
  machineLine('memory.mjs', loadBefore),
  '',
  `Each row is a fresh process, measured ${SETTLE_MS} ms after it started; the median of ${RSS_RUNS} by VmRSS. `
    + 'RSS splits into anonymous memory (heaps, JIT code, buffers) and file-backed pages (the executable and '
    + 'libraries it touched). "binary" is `bun build --compile` of each probe, as the product binary is. '
    + `The built-ins are node:${BUILTINS.join(', node:')}. A dependency's row is the built-ins plus that one `
    + 'package: its delta is what the package itself costs, shared code counted once.',
  '',
];
const HEAD = '| probe | RSS MiB | anon MiB | file MiB | Pss MiB | delta MiB |';
const cells = (label, m) => `| ${label} | ${mib(m.rss)} | ${mib(m.anon)} | ${mib(m.file)} | ${mib(m.pss)} |`;
lines.push('## Against ContainerPilot, 5 jobs with 1 s exec checks', '', HEAD, '| --- | --- | --- | --- | --- | --- |');
if (result.containerpilot) lines.push(`${cells('ContainerPilot 3.8', result.containerpilot)} |`);
else lines.push('| ContainerPilot 3.8 | ../shared/bin/containerpilot-3.8 is not beside the repository: not measured | | | | |');
lines.push(`${cells('autopilot binary', result.byRuntime.binary.supervisor.five)} |`);
lines.push(`${cells('autopilot binary, a second one running beside it', result.binaryBeside)} |`);
lines.push('', 'Most of the binary\'s RSS is clean pages of its own executable (the "file" column): shared by every '
  + 'replica of one image on a host (Pss) and dropped by the kernel under memory pressure, while anonymous memory '
  + 'is what each supervisor really holds.', '');
for (const runtime of RUNTIMES) {
  const { probes, supervisor, counters } = result.byRuntime[runtime];
  const floor = probes.floor.rss;
  const base = probes.builtins.rss;
  lines.push(`## ${runtime}`, '', HEAD, '| --- | --- | --- | --- | --- | --- |');
  const rowOf = (label, m, ref, refName) => `${cells(label, m)} ${delta(m.rss, ref)} over ${refName} |`;
  lines.push(rowOf('runtime floor (an idle timer)', probes.floor, floor, 'floor'));
  lines.push(rowOf('built-ins', probes.builtins, floor, 'floor'));
  for (const d of DEPS) lines.push(rowOf(`built-ins + ${d}`, probes[d], base, 'built-ins'));
  lines.push(rowOf('built-ins + every dependency', probes['all-deps'], base, 'built-ins'));
  lines.push(rowOf('`autopilot run`, one job', supervisor.one, probes['all-deps'].rss, 'every dependency'));
  lines.push(rowOf('`autopilot run`, 5 jobs, 1 s exec checks', supervisor.five, supervisor.one.rss, 'one job'));
  lines.push('');
  if (counters) {
    const c = Object.entries(counters).map(([k, v]) => `${k} ${k === 'objects' ? v : mib(v / 1024)}`).join(', ');
    lines.push(`Counters inside the idle supervisor (one job; MiB except objects): ${c}.`, '');
  }
}
writeReport('memory', lines);
