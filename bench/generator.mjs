// Generator: wall time of the whole `autopilot new hello-world my-app --yes` process on Node, Bun,
// Deno and the single-file binary, each into a fresh temp dir, plus `--dry-run` (plans and prints,
// writes nothing) and `--version` (the runtime's start alone, for reference). Every written tree
// is compared file by file with what the generator plans for a development build (the golden
// tree generators/testdata/golden/hello-world, less its release checksums), so a broken run
// cannot pass for a fast one. Writes results/generator.json and report-generator.md.
// Needs `npm run build:binary` (dist/ and the binary).
//   node bench/generator.mjs [--smoke] [--runs N]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { machineLine, ms, numberFlag, repoRoot, row, smoke, stats, versionOf, writeReport, writeResult } from './lib/report.mjs';

const { cliRuntime } = await import(join(repoRoot, 'dist', 'testing', 'runtimes.js'));

const RUNS = numberFlag('runs', 30, 3);
const WARMUPS = 2;
const TIMEOUT_MS = 30_000;
const BLUEPRINT = 'hello-world';
const PROJECT = 'my-app';
// The expected tree: project "my-app", version 1.2.3 (as the golden tree), no checksums: a
// checkout's build knows no published ones (generators/golden.test.ts pins a release's).
const GOLDEN_VERSION = '1.2.3';
const RUNTIMES = ['node', 'bun', 'deno', 'binary'];
const MODES = [
  { key: 'new', args: ['new', BLUEPRINT, PROJECT, '--yes'], what: `new ${BLUEPRINT} ${PROJECT} --yes` },
  { key: 'dry-run', args: ['new', BLUEPRINT, PROJECT, '--yes', '--dry-run'], what: `new ${BLUEPRINT} ${PROJECT} --yes --dry-run` },
  { key: 'version', args: ['--version'], what: '--version' },
];

const loadBefore = loadavg()[0];
const base = mkdtempSync(join(tmpdir(), 'autopilot-bench-generator-'));
const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(base, { recursive: true, force: true });
    process.exit(130);
  });
}

/** Every file under `dir` (dotfiles included) as relative path -> content. */
function readTree(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}
const { planNew } = await import(join(repoRoot, 'dist', 'generators', 'plan-new.js'));
const { findBlueprint } = await import(join(repoRoot, 'dist', 'blueprints', 'index.js'));
const golden = new Map(planNew({ blueprint: findBlueprint(BLUEPRINT), project: PROJECT, supervisor: { version: GOLDEN_VERSION, sha256: {}, vendor: false } }).map((op) => [op.path, op.content]));

/** Runs `argv` in `cwd` to completion (killed after TIMEOUT_MS): { code, ms, stdout, stderr }. */
function timed(argv, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const elapsed = performance.now() - t0;
      clearTimeout(timer);
      children.delete(child);
      resolve({ code: code ?? signal, ms: elapsed, stdout, stderr });
    });
  });
}

/** Throws unless `dir` holds exactly the golden tree (with this runtime's version in it). */
function checkTree(dir, version, who) {
  const tree = readTree(dir);
  if (tree.size !== golden.size) throw new Error(`${who}: wrote ${tree.size} files, the golden tree has ${golden.size}`);
  for (const [path, content] of golden) {
    const expected = content.replaceAll(GOLDEN_VERSION, version);
    if (!tree.has(path)) throw new Error(`${who}: ${path} is missing`);
    if (tree.get(path) !== expected) throw new Error(`${who}: ${path} differs from the golden file`);
  }
  return tree.size;
}

/** One sample of `mode` on `rt`, checked; returns its wall time. */
async function sample(rt, mode, version) {
  const cwd = mkdtempSync(join(base, 's-'));
  try {
    const who = `${rt.name} ${mode.what}`;
    const r = await timed([...rt.argv, ...mode.args], cwd);
    if (r.code !== 0) throw new Error(`${who} exited ${r.code}: ${r.stderr}`);
    const target = join(cwd, PROJECT);
    if (mode.key === 'new') {
      checkTree(target, version, who);
      if (!r.stdout.includes(`Done: ${golden.size} files in ${PROJECT}.`)) throw new Error(`${who}: unexpected output:\n${r.stdout}`);
    } else if (mode.key === 'dry-run') {
      if (existsSync(target)) throw new Error(`${who}: wrote ${target}`);
      const creates = r.stdout.split('\n').filter((l) => /^\s+create /.test(l)).length;
      if (creates !== golden.size || !r.stdout.includes('nothing was written')) throw new Error(`${who}: the plan lists ${creates} files, not ${golden.size}:\n${r.stdout}`);
    } else if (!new RegExp(`^${version.replace(/\./g, '\\.')}( \\(\\S+\\))?\n$`).test(r.stdout)) throw new Error(`${who}: printed ${JSON.stringify(r.stdout)}`);
    return r.ms;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

try {
  const runtimes = RUNTIMES.map((name) => cliRuntime(name));
  const versions = new Map();
  for (const rt of runtimes) {
    const r = await timed([...rt.argv, '--version'], base);
    // `--version` prints `<version> (<commit>)`, the commit left out when the build knows none.
    const m = /^(\S+)( \(\S+\))?$/.exec(r.stdout.trim());
    if (r.code !== 0 || !m) throw new Error(`${rt.name} --version: exit ${r.code}, ${r.stdout}${r.stderr}`);
    versions.set(rt.name, m[1]);
  }
  const samples = new Map(runtimes.flatMap((rt) => MODES.map((m) => [`${rt.name} ${m.key}`, []])));
  // Warm-ups (page cache, Deno's module cache), then the runtimes and modes take turns sample by
  // sample, so drift in the machine's load spreads over all of them.
  for (let i = -WARMUPS; i < RUNS; i++) {
    if (i === 0) process.stderr.write(`bench: generator, ${RUNS} samples x ${runtimes.length} runtimes x ${MODES.length} commands\n`);
    for (const rt of runtimes) {
      for (const mode of MODES) {
        const t = await sample(rt, mode, versions.get(rt.name));
        if (i >= 0) samples.get(`${rt.name} ${mode.key}`).push(t);
      }
    }
  }

  const label = (rt, mode) => `${rt} \`${mode.what}\``;
  const rows = [];
  for (const rt of runtimes) for (const mode of MODES.filter((m) => m.key !== 'version')) rows.push(row(label(rt.name, mode), 'ms', samples.get(`${rt.name} ${mode.key}`)));
  const s = (rt, key) => stats(samples.get(`${rt} ${key}`));
  const command = `node bench/generator.mjs${smoke ? ' --smoke' : ''}${RUNS !== (smoke ? 3 : 30) ? ` --runs ${RUNS}` : ''}`;
  const bunVersion = versionOf(join(repoRoot, 'node_modules', '.bin', 'bun'));
  const denoVersion = versionOf(join(repoRoot, 'node_modules', '.bin', 'deno'));
  const argvText = (rt) => (rt.name === 'binary' ? 'dist/bin/autopilot-linux-x64' : rt.argv.map((a) => a.replace(repoRoot, '').replace(process.execPath, 'node')).join(' '));
  writeResult('generator', {
    section: 8,
    title: `Generator: \`autopilot new ${BLUEPRINT}\` wall time`,
    command,
    runtimes: { node: process.version, bun: bunVersion, deno: denoVersion, binary: `bun ${bunVersion} (compiled)` },
    loadBefore,
    rows,
    notes: [
      `Each \`new\` sample writes ${golden.size} files into a fresh temp dir; every tree was checked file by file against the generator's plan (generators/testdata/golden/${BLUEPRINT} less its release checksums). \`--dry-run\` plans and prints the same ${golden.size} files and writes nothing.`,
      `Start-up alone (\`--version\`, median): ${runtimes.map((rt) => `${rt.name} ${ms(s(rt.name, 'version').median)}`).join(', ')}.`,
    ],
  });

  writeReport('generator', [
    `# Generator: \`autopilot new ${BLUEPRINT}\` wall time`,
    '',
    machineLine('generator.mjs', loadBefore) + ` Bun ${bunVersion}, ${denoVersion}.`,
    '',
    `Command: \`${command}\`${smoke ? ' (smoke: short counts, figures mean little)' : ''}.`,
    '',
    `Files written per \`new\`: ${golden.size} (the whole ${BLUEPRINT} project: README, docker-compose.yml, .gitignore, and Dockerfile, containerpilot.json5 and app or nginx files for nginx, hello and world).`,
    '',
    '| runtime | command | samples | median | p95 | p99 | max | median minus `--version` |',
    '|---|---|---|---|---|---|---|---|',
    ...runtimes.flatMap((rt) =>
      MODES.map((mode) => {
        const x = s(rt.name, mode.key);
        const extra = mode.key === 'version' ? '(start-up alone)' : ms(x.median - s(rt.name, 'version').median);
        return `| ${rt.name} | \`${argvText(rt)} ${mode.what}\` | ${x.n} | ${ms(x.median)} | ${ms(x.p95)} | ${ms(x.p99)} | ${ms(x.max)} | ${extra} |`;
      }),
    ),
    '',
    '## Method',
    '',
    `- Each sample runs the whole process with its working directory a fresh temp dir, and the target \`${PROJECT}\` inside it (so the project is named ${PROJECT}, as in the golden tree); wall time = spawn from the benchmark (node:child_process) -> the process closed its output and exited. Removing the temp dir and checking the tree happen after the timed span.`,
    `- Check of every \`new\` sample: exit 0, \`Done: ${golden.size} files\` printed, and the tree equal file by file to what \`planNew\` plans for a development build of version ${GOLDEN_VERSION} (the golden tree generators/testdata/golden/${BLUEPRINT} less its release checksums; same ${golden.size} paths, same content once ${GOLDEN_VERSION} is replaced by the runtime's own \`--version\`). \`--dry-run\`: exit 0, ${golden.size} \`create\` lines, nothing on disk. \`--version\`: prints the version. A failed check stops the benchmark.`,
    `- ${WARMUPS} warm-up rounds are not counted; then ${RUNS} rounds in which each runtime runs each command once, in turn, so a change in the machine's load spreads over every row.`,
    '- `--version` is the start-up reference: the runtime starting and loading the CLI. "median minus `--version`" estimates what planning, rendering the templates and writing (or printing) costs on top; the binary carries the templates embedded, the others read them from templates/.',
    '',
  ]);
} finally {
  for (const child of children) child.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
}
