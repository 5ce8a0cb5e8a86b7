// Start: from the exec of `autopilot run` to the application process spawned, on Node, the
// single-file binary, Bun and Deno, plus each runtime's floor (the bare runtime spawning the same
// application). The application is a tiny C program (compiled here with `cc`) that writes its own
// CLOCK_REALTIME start time and exits; without a C compiler, `sh -c 'date +%s%N'` stands in.
// Real processes, a real Consul agent for the `consul:` variant, loopback only.
//   node bench/start.mjs [--smoke] [--runs N] [--compare <binary>]
// --compare adds another build of the binary (an earlier commit's, say) to the same interleaved run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTAINERPILOT } from './lib/peers.mjs';
import { machineLine, ms, numberFlag, repoRoot, row, smoke, stats, versionOf, wallMs, writeReport, writeResult } from './lib/report.mjs';

const { cliRuntime, devBin } = await import(join(repoRoot, 'dist', 'testing', 'runtimes.js'));
const { startConsulAgent, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));

const RUNS = numberFlag('runs', 100, 5);
const compareAt = process.argv.indexOf('--compare');
const COMPARE = compareAt > 0 ? process.argv[compareAt + 1] : undefined;
if (compareAt > 0 && (!COMPARE || !existsSync(COMPARE))) {
  process.stderr.write(`bench: --compare needs the path of a binary; ${COMPARE ? `${COMPARE} does not exist` : 'none given'}\n`);
  process.exit(2);
}
const WARMUP = smoke ? 1 : 3;
const SAMPLE_TIMEOUT_MS = 20_000;

const loadBefore = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-start-'));
const stampFile = join(dir, 'stamp');

// The application: records the wall clock at its own start (ns since the epoch) and exits.
const STAMP_C = `#include <stdio.h>
#include <time.h>
int main(int argc, char **argv) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (argc < 2) return 2;
  FILE *f = fopen(argv[1], "w");
  if (!f) return 3;
  fprintf(f, "%lld%09ld\\n", (long long)ts.tv_sec, ts.tv_nsec);
  return fclose(f) == 0 ? 0 : 4;
}
`;

/** The app's argv: the compiled stamp program, or sh + date when there is no C compiler. */
function buildApp() {
  writeFileSync(join(dir, 'stamp.c'), STAMP_C);
  const out = join(dir, 'stamp-app');
  const cc = spawnSync('cc', ['-O2', '-o', out, join(dir, 'stamp.c')], { encoding: 'utf8' });
  if (cc.status === 0) return { argv: [out, stampFile], what: 'a C program (`cc -O2`) that writes `clock_gettime(CLOCK_REALTIME)` to a file and exits' };
  process.stderr.write('bench: no C compiler, the app is `sh -c "date +%s%N > stamp"` (adds the sh and date starts)\n');
  return { argv: ['sh', '-c', `date +%s%N > ${stampFile}`], what: '`sh -c "date +%s%N > stamp"` (no C compiler here: includes the start of sh and date)' };
}

/** The app's start, in ms since the epoch (same clock as wallMs()). */
function readStamp() {
  const text = readFileSync(stampFile, 'utf8').trim();
  return Number(BigInt(text) / 1000n) / 1000;
}

function waitExit(child, what, output) {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? child.signalCode);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what}: did not exit within ${SAMPLE_TIMEOUT_MS} ms; output:\n${output()}`));
    }, SAMPLE_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}

const children = new Set();

/** One sample: exec -> the app's own start stamp, in ms. */
async function sample(argv, what) {
  rmSync(stampFile, { force: true });
  let output = '';
  const t0 = wallMs();
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CONTAINERPILOT: '', NO_COLOR: '1' } });
  children.add(child);
  const keep = (d) => (output = (output + d.toString()).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  try {
    const code = await waitExit(child, what, () => output);
    if (code !== 0) throw new Error(`${what}: exited with ${code}; output:\n${output}`);
  } finally {
    children.delete(child);
  }
  if (!existsSync(stampFile)) throw new Error(`${what}: the app never ran; output:\n${output}`);
  return readStamp() - t0;
}

function writeConfig(name, app, consul, unusedConsul) {
  const path = join(dir, `${name}.json5`);
  const consulLine = consul || unusedConsul ? `  consul: "${consul ?? unusedConsul}",\n` : '';
  // With Consul the app is advertised (a port): discovery hooks it, as a real service is.
  const port = consul ? ', port: 8080, interfaces: ["static:127.0.0.1"], health: { exec: ["true"], interval: 10, ttl: 30 }' : '';
  writeFileSync(path, `{
${consulLine}  control: { socket: "${join(dir, `${name}.sock`)}" },
  jobs: [ { name: "app", exec: ${JSON.stringify(app.argv)}, restarts: "never"${port} } ],
}\n`);
  return path;
}

/** A binary built like dist/bin/autopilot-linux-x64 whose whole program spawns the app: the binary's floor. */
function buildFloorBinary(spawnCode) {
  const src = join(dir, 'floor.mjs');
  writeFileSync(src, spawnCode);
  const out = join(dir, 'floor-binary');
  const r = spawnSync(devBin('bun'), ['build', src, '--compile', '--bytecode', '--minify', '--target=bun-linux-x64', `--outfile=${out}`, '--no-compile-autoload-dotenv', '--no-compile-autoload-bunfig'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bun build --compile of the floor program failed:\n${r.stderr}`);
  return out;
}

/** What `node dist/cli/index.js` runs now: the bundle (dist/cli/autopilot.cjs) or the modules (cli/node-bundle.ts). */
function nodeLoads() {
  const cli = join(repoRoot, 'dist', 'cli');
  try {
    return statSync(join(cli, 'autopilot.cjs')).mtimeMs >= statSync(join(cli, 'entry.js')).mtimeMs ? 'the bundle' : 'the modules (the bundle is older than dist/)';
  } catch {
    return 'the modules (no bundle: run `npm run build`)';
  }
}

let agent;
try {
  const nodeBefore = nodeLoads();
  const app = buildApp();
  agent = await startConsulAgent();
  const plain = writeConfig('plain', app, undefined);
  const withConsul = writeConfig('consul', app, agent.address);
  // ContainerPilot refuses a config without `consul`: both supervisors get one naming a closed
  // loopback port, where nothing is registered (the job has no port).
  const closed = writeConfig('closed', app, undefined, '127.0.0.1:9');
  const hasContainerPilot = existsSync(CONTAINERPILOT);
  const spawnCode = `import { spawn } from 'node:child_process';\nspawn(${JSON.stringify(app.argv[0])}, ${JSON.stringify(app.argv.slice(1))}, { stdio: 'inherit', detached: true });\n`;
  const node = cliRuntime('node').argv;
  const binary = cliRuntime('binary').argv;
  const bun = cliRuntime('bun').argv;
  const deno = cliRuntime('deno').argv;
  const run = (prefix, config) => [...prefix, 'run', '--config', config];
  const nodeGoal = { text: '<= 60 ms', stat: 'median', limit: 60, better: 'lower' };
  const binaryGoal = { text: '<= 15 ms', stat: 'median', limit: 15, better: 'lower' };
  const cases = [
    { label: 'node: autopilot run', argv: run(node, plain), goal: nodeGoal },
    { label: 'binary: autopilot run', argv: run(binary, plain), goal: binaryGoal },
    ...(COMPARE ? [{ label: `--compare ${COMPARE}: autopilot run`, argv: run([COMPARE], plain) }] : []),
    { label: 'bun: autopilot run', argv: run(bun, plain) },
    { label: 'deno: autopilot run', argv: run(deno, plain) },
    { label: 'node: autopilot run, consul set', argv: run(node, withConsul), goal: nodeGoal },
    { label: 'binary: autopilot run, consul set', argv: run(binary, withConsul), goal: binaryGoal },
    ...(hasContainerPilot
      ? [
          { label: 'ContainerPilot 3.8: the same job, consul at a closed port', argv: [CONTAINERPILOT, '-config', closed] },
          { label: 'binary: autopilot run, the same config as ContainerPilot', argv: run(binary, closed) },
        ]
      : []),
    { label: 'floor: node spawns the app', argv: [process.execPath, '--input-type=module', '-e', spawnCode] },
    { label: 'floor: compiled bun binary spawns the app', argv: [buildFloorBinary(spawnCode)] },
    { label: 'floor: bun spawns the app', argv: [devBin('bun'), '-e', spawnCode] },
    { label: 'floor: deno spawns the app', argv: [devBin('deno'), 'eval', spawnCode] },
  ];
  for (const c of cases) c.samples = [];

  process.stderr.write(`bench: start, ${cases.length} cases x ${RUNS} samples (interleaved)\n`);
  for (const c of cases) for (let i = 0; i < WARMUP; i++) await sample(c.argv, `${c.label} (warm-up)`);
  for (let i = 0; i < RUNS; i++) {
    for (const c of cases) c.samples.push(await sample(c.argv, c.label));
  }

  const nodeAfter = nodeLoads();
  const nodeRan = nodeBefore === nodeAfter ? nodeBefore : `${nodeBefore} at the start, ${nodeAfter} at the end (dist/ was rebuilt during the run)`;
  if (!nodeRan.startsWith('the bundle')) process.stderr.write(`bench: warning: node ran ${nodeRan}\n`);
  const versions = {
    node: process.version,
    bun: versionOf(devBin('bun')),
    deno: versionOf(devBin('deno')),
    binary: `bun ${versionOf(devBin('bun'))} (compiled, --bytecode)`,
    consul: versionOf(findConsulBinary(), ['version']),
  };
  const command = `node bench/start.mjs${smoke ? ' --smoke' : ''}${process.argv.includes('--runs') ? ` --runs ${RUNS}` : ''}${COMPARE ? ` --compare ${COMPARE}` : ''}`;
  const rows = cases.map((c) => row(c.label, 'ms', c.samples, c.goal));
  writeResult('start', {
    section: 3,
    title: 'Start: exec of `autopilot run` -> application spawned',
    command,
    runtimes: versions,
    loadBefore,
    rows,
    notes: [
      `Span: from just before the benchmark spawns \`autopilot run --config <file>\` (wall clock) to the first instruction of the application, which records its own start time (${app.what}). It includes the runtime's start, loading the CLI and the config, and the supervisor's spawn of the job; nothing after the spawn.`,
      `Node ran ${nodeRan}.`,
      'Floor rows: the same runtime running one `spawn()` of the same application, no autopilot code: the least any program on that runtime can do.',
    ],
  });
  const table = cases.map((c) => {
    const s = stats(c.samples);
    const goal = c.goal ? `${c.goal.text}: ${s.median <= c.goal.limit ? 'met' : 'not met'}` : '';
    return `| ${c.label} | ${s.n} | ${ms(s.median)} | ${ms(s.p99)} | ${ms(s.min)} | ${ms(s.max)} | ${goal} |`;
  });
  // The ratios the footprint goals are stated in: against ContainerPilot on the same config, and
  // against the bare runtime spawning the same app.
  const median = (label) => stats(cases.find((c) => c.label === label)?.samples ?? []).median;
  const ratio = (label, over, goal, text) => {
    const r = median(label) / median(over);
    return Number.isFinite(r) ? [`| ${label} / ${over} | ${r.toFixed(2)}x | ${text}: ${r <= goal ? 'met' : 'not met'} |`] : [];
  };
  const ratios = [
    ...ratio('binary: autopilot run, the same config as ContainerPilot', 'ContainerPilot 3.8: the same job, consul at a closed port', 2, '<= 2x'),
    ...ratio('node: autopilot run', 'floor: node spawns the app', 1.3, '<= 1.3x'),
    ...ratio('binary: autopilot run', 'floor: compiled bun binary spawns the app', 2, '<= 2x'),
  ];
  writeReport('start', [
    '# Start: exec of `autopilot run` to the application spawned',
    '',
    machineLine('start.mjs', loadBefore) + ` Bun ${versions.bun}, Deno ${versions.deno}, ${versions.consul}.`,
    '',
    `Command: \`${command}\``,
    '',
    '| case | samples | median | p99 | min | max | goal (median) |',
    '|---|---|---|---|---|---|---|',
    ...table,
    '',
    '| ratio of the medians | value | goal |',
    '|---|---|---|',
    ...ratios,
    ...(hasContainerPilot ? [] : ['', `ContainerPilot rows skipped: ${CONTAINERPILOT} is not here (it sits in ../shared beside the repository).`]),
    '',
    '## Method',
    '',
    `- The application is ${app.what}. Its stamp and the benchmark's clock (\`performance.timeOrigin + performance.now()\`, taken just before \`spawn()\`) are the same wall clock.`,
    '- Span: exec of the runtime (or the binary) -> the application\'s first instruction. Included: the runtime\'s own start, loading the CLI, reading and validating the config, the supervisor\'s start-up up to spawning the job (a detached process group), the fork/exec of the application. Not included: anything the supervisor does after the spawn (the rest of its start-up, its stop once the app has exited; each sample waits for the supervisor to exit before the next one).',
    '- `autopilot run --config <file>` with one job (`restarts: "never"`) and a control socket in a temporary folder; no telemetry. `consul set`: the same with `consul:` naming a real agent on loopback and the job advertised (`port`), so discovery is wired; the app must not wait for Consul.',
    `- Node: \`node dist/cli/index.js\`, which ran ${nodeRan} (docs/runtimes.md, "Node: the bundle"); Bun: \`bun dist/cli/index.js\`; Deno: \`deno run -A dist/cli/index.js\`; binary: \`dist/bin/autopilot-linux-x64\`.`,
    `- ContainerPilot 3.8 (built from source, ../shared/bin/README.md): \`containerpilot-3.8 -config <file>\` with the plain case's job and control socket and \`consul\` naming a closed loopback port (it refuses a config without one); the binary runs the very same file in the row after it.`,
    `- Floors: \`node --input-type=module -e\`, \`bun -e\`, \`deno eval\` and a \`bun build --compile --bytecode\` binary, each running one \`spawn(app, { detached: true })\`.`,
    `- ${RUNS} samples per case after ${WARMUP} warm-up run(s), the cases interleaved (one sample of each in turn) so that a change in machine load hits every case alike.`,
    '',
  ]);
} finally {
  for (const child of children) child.kill('SIGKILL');
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
}
