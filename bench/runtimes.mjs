// Runtime comparison: size, `--version` start time and the supervisor's idle RSS on Node, Bun,
// Deno and the single-file binary. Whole-process measurements, medians of several runs; writes
// bench/report-runtimes.md and results/runtimes.json. Needs `npm run build:binary` (which builds dist/ too) and, for the
// start times, hyperfine (`apt-get install -y hyperfine`; without it a simpler timer is used).
//   node bench/runtimes.mjs [--smoke] [--runs N] [--rss-runs N]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberFlag, repoRoot, row, sleep, smoke, writeReport, writeResult } from './lib/report.mjs';

const { cliRuntimes, muslBinaryPath } = await import(join(repoRoot, 'dist', 'testing', 'runtimes.js'));
const RUNS = numberFlag('runs', 30, 5);
const RSS_RUNS = numberFlag('rss-runs', 5, 1);
const SETTLE_MS = smoke ? 1000 : 3000;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** Bytes of every regular file under `dir` (`skip(path)` leaves files out). */
function treeSize(dir, skip = () => false) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) total += treeSize(path, skip);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

/** What a deployment ships besides the runtime: compiled JS (no tests), templates, production deps. */
function appPayloadSize() {
  const dist = treeSize(join(repoRoot, 'dist'), (p) => p.endsWith('.test.js') || p.includes(`${join('dist', 'bin')}`) || p.includes(join('dist', 'testing')));
  const templates = treeSize(join(repoRoot, 'templates'));
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repoRoot, encoding: 'utf8' });
  const deps = new Set(ls.stdout.split('\n').filter((p) => p.includes('node_modules')));
  let modules = 0;
  for (const dep of deps) {
    // Nested node_modules are listed on their own: do not count them twice.
    modules += treeSize(dep, (p) => p.startsWith(join(dep, 'node_modules')));
  }
  return dist + templates + modules;
}

/** Median wall time of `argv` in ms (hyperfine when installed). */
function startTime(argv) {
  const hyperfine = spawnSync('hyperfine', ['--version'], { encoding: 'utf8' });
  if (hyperfine.status === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-'));
    try {
      const out = join(dir, 'result.json');
      const quoted = argv.map((a) => (/^[\w./:-]+$/.test(a) ? a : `'${a}'`)).join(' ');
      execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(RUNS), '--export-json', out, quoted], { stdio: ['ignore', 'ignore', 'inherit'] });
      const { results } = JSON.parse(readFileSync(out, 'utf8'));
      return { ms: results[0].median * 1000, times: results[0].times.map((t) => t * 1000), tool: hyperfine.stdout.trim() };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const times = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
    if (i >= 3) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: median(times), times, tool: 'spawnSync timer' };
}

function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return { ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) };
}

function vmRssKiB(pid) {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** `root` and all its descendants. */
function processTree(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const { ppid } = procStat(name);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const out = [];
  const walk = (pid) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** A loopback TCP port nobody is using right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Idle supervisor (one job, control socket, telemetry): its own RSS and its tree's, settled. */
async function idleRss(argv) {
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-'));
  const config = join(dir, 'cp.json5');
  writeFileSync(config, `{
  control: { socket: "${dir}/cp.sock" },
  telemetry: { port: ${await freePort()}, interfaces: ["static:127.0.0.1"] },
  jobs: [ { name: "app", exec: ["sleep", "3600"], health: { exec: ["true"], interval: 5, ttl: 10 } } ],
}\n`);
  const child = spawn(argv[0], [...argv.slice(1), 'run', '--config', config], { stdio: 'ignore', env: { ...process.env, CONTAINERPILOT: '' } });
  try {
    for (let i = 0; i < 200 && !existsSync(join(dir, 'cp.sock')); i++) await sleep(50);
    if (!existsSync(join(dir, 'cp.sock'))) throw new Error(`${argv.join(' ')} run: the control socket never appeared`);
    await sleep(SETTLE_MS);
    const tree = processTree(child.pid);
    return { self: vmRssKiB(child.pid), tree: tree.reduce((sum, pid) => sum + vmRssKiB(pid), 0), processes: tree.length };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

function runtimeVersion(name, exe) {
  if (name === 'node') return process.version;
  if (name === 'binary') return `bun ${spawnSync(join(repoRoot, 'node_modules', '.bin', 'bun'), ['--version'], { encoding: 'utf8' }).stdout.trim()} (compiled)`;
  return spawnSync(exe, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
}

const loadBefore = loadavg()[0];
const rows = [];
const payload = appPayloadSize();
for (const rt of cliRuntimes()) {
  const exe = realpathSync(rt.argv[0]);
  process.stderr.write(`bench: ${rt.name}\n`);
  const size = rt.name === 'binary' ? statSync(exe).size : statSync(exe).size + payload;
  const start = startTime([...rt.argv, '--version']);
  const rss = [];
  for (let i = 0; i < RSS_RUNS; i++) rss.push(await idleRss(rt.argv));
  rows.push({
    name: rt.name,
    version: runtimeVersion(rt.name, exe),
    size,
    sizeNote: rt.name === 'binary' ? 'single file' : `runtime ${mib(statSync(exe).size)} + app ${mib(payload)}`,
    startMs: start.ms,
    startTimes: start.times,
    rssSamples: rss.map((r) => r.self / 1024),
    startTool: start.tool,
    rssSelf: median(rss.map((r) => r.self)),
    rssTree: median(rss.map((r) => r.tree)),
    processes: rss[0].processes,
  });
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  '# Runtimes: size, start time, idle memory',
  '',
  `Generated by \`npm run bench\` (bench/runtimes.mjs) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpu}, Linux ${release()}; ` +
    `1-minute load average ${loadBefore.toFixed(2)} before and ${loadavg()[0].toFixed(2)} after (other work on the machine skews start times most).`,
  '',
  '| runtime | version | size on disk | `--version` start (median) | idle RSS, supervisor | idle RSS, process tree |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.version} | ${mib(r.size)} (${r.sizeNote}) | ${r.startMs.toFixed(1)} ms | ${(r.rssSelf / 1024).toFixed(1)} MiB | ${(r.rssTree / 1024).toFixed(1)} MiB (${r.processes} processes) |`),
  '',
  existsSync(muslBinaryPath) ? `The musl binary (\`dist/bin/autopilot-linux-x64-musl\`) is ${mib(statSync(muslBinaryPath).size)}.` : 'The musl binary was not built.',
  '',
  '## Method',
  '',
  `- Size: the single-file binary as built by \`npm run build:binary\`; for Node, Bun and Deno the runtime's executable plus what the app needs beside it (compiled JavaScript without tests, templates, production dependencies: ${mib(payload)}).`,
  `- Start: \`<runtime> dist/cli/index.js --version\` (Deno: \`deno run -A\`), wall time of the whole process, median of ${RUNS} runs after 3 warm-ups, measured with ${rows[0]?.startTool ?? 'hyperfine'}.`,
  `- Idle RSS: \`autopilot run\` with one job (\`sleep 3600\`) health-checked every 5 s, the control socket and telemetry on; ${SETTLE_MS / 1000} s after the control socket appeared, VmRSS from /proc/<pid>/status of the supervisor alone and summed over its whole process tree (the supervisor, its job; a health check may be running); median of ${RSS_RUNS} runs.`,
  '',
];
writeReport('runtimes', lines);
writeResult('runtimes', {
  section: 9,
  title: 'Runtimes: `--version` start and idle memory',
  command: `node bench/runtimes.mjs${smoke ? ' --smoke' : ''}`,
  runtimes: Object.fromEntries(rows.filter((r) => r.name !== 'binary').map((r) => [r.name, r.version])),
  loadBefore,
  rows: [
    ...rows.map((r) => row(`${r.name}: \`--version\` start`, 'ms', r.startTimes)),
    ...rows.map((r) => row(`${r.name}: idle RSS, one job`, 'MiB', r.rssSamples)),
    ...rows.map((r) => row(`${r.name}: size on disk`, 'MiB', [r.size / 1048576])),
  ],
});
