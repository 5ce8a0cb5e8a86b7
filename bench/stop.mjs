// Stop: SIGTERM to a running `autopilot run` whose application exits promptly on SIGTERM ->
// the supervisor process has exited. Node, the single-file binary, Bun and Deno; without Consul,
// and with the application registered in a real Consul agent (its deregistration is part of the
// stop). Real processes, loopback only.
//   node bench/stop.mjs [--smoke] [--runs N]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineLine, ms, numberFlag, repoRoot, row, sleep, smoke, stats, versionOf, wallMs, writeReport, writeResult } from './lib/report.mjs';

const { cliRuntime, devBin } = await import(join(repoRoot, 'dist', 'testing', 'runtimes.js'));
const { startConsulAgent, consulGet, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));

const RUNS = numberFlag('runs', 50, 3);
const WARMUP = 1;
const READY_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 30_000;
const SETTLE_MS = 100;
const SERVICE = 'bench-app';

const loadBefore = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-stop-'));
const stampFile = join(dir, 'stamp');
const socket = join(dir, 'cp.sock');
// The application: marks that it runs, then sleeps; `sleep` dies on SIGTERM at once (prompt).
const APP = ['sh', '-c', `echo started > ${stampFile}; exec sleep 3600`];

function writeConfig(name, consul) {
  const path = join(dir, `${name}.json5`);
  const job = consul
    ? `{ name: "${SERVICE}", exec: ${JSON.stringify(APP)}, port: 8080, interfaces: ["static:127.0.0.1"], initial_status: "passing", health: { exec: ["true"], interval: 5, ttl: 30 } }`
    : `{ name: "app", exec: ${JSON.stringify(APP)} }`;
  writeFileSync(path, `{
${consul ? `  consul: "${consul}",\n` : ''}  control: { socket: "${socket}" },
  jobs: [ ${job} ],
}\n`);
  return path;
}

const children = new Set();

async function until(what, check, output) {
  const end = Date.now() + READY_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} within ${READY_TIMEOUT_MS} ms; output:\n${output()}`);
    await sleep(10);
  }
}

const registered = async (agent) => Object.values(await consulGet(agent, '/v1/agent/services')).some((s) => s.Service === SERVICE);

/** One sample: start the supervisor, wait until it runs (and is registered), SIGTERM -> exit, in ms. */
async function sample(argv, agent, what) {
  rmSync(stampFile, { force: true });
  let output = '';
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CONTAINERPILOT: '', NO_COLOR: '1' } });
  children.add(child);
  const keep = (d) => (output = (output + d.toString()).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => ((exited = true), resolve({ code, signal, at: wallMs() }))));
  try {
    await until(`${what}: the app did not start and the control socket did not appear`, () => exited || (existsSync(stampFile) && existsSync(socket)), () => output);
    if (agent) await until(`${what}: the service was not registered`, () => exited || registered(agent), () => output);
    if (exited) throw new Error(`${what}: exited before the SIGTERM; output:\n${output}`);
    await sleep(SETTLE_MS);
    const t0 = wallMs();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    const { code, signal, at } = await exit;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`${what}: exited with ${code ?? signal} after SIGTERM; output:\n${output}`);
    if (agent && (await registered(agent))) throw new Error(`${what}: the service is still registered after the supervisor exited`);
    if (existsSync(socket)) throw new Error(`${what}: the control socket was left behind`);
    return at - t0;
  } finally {
    if (!exited) {
      child.kill('SIGKILL');
      await exit;
    }
    children.delete(child);
  }
}

let agent;
try {
  agent = await startConsulAgent();
  const plain = writeConfig('plain', undefined);
  const withConsul = writeConfig('consul', agent.address);
  const goal = { text: '<= 300 ms', stat: 'median', limit: 300, better: 'lower' };
  const runtimes = ['node', 'binary', 'bun', 'deno'];
  const cases = [];
  for (const consul of [false, true]) {
    for (const name of runtimes) {
      const argv = [...cliRuntime(name).argv, 'run', '--config', consul ? withConsul : plain];
      cases.push({ label: `${name}: ${consul ? 'registered in Consul' : 'no Consul'}`, argv, agent: consul ? agent : undefined, goal, samples: [] });
    }
  }

  process.stderr.write(`bench: stop, ${cases.length} cases x ${RUNS} samples (interleaved)\n`);
  for (const c of cases) for (let i = 0; i < WARMUP; i++) await sample(c.argv, c.agent, `${c.label} (warm-up)`);
  for (let i = 0; i < RUNS; i++) {
    for (const c of cases) c.samples.push(await sample(c.argv, c.agent, c.label));
  }

  const versions = {
    node: process.version,
    bun: versionOf(devBin('bun')),
    deno: versionOf(devBin('deno')),
    binary: `bun ${versionOf(devBin('bun'))} (compiled, --bytecode)`,
    consul: versionOf(findConsulBinary(), ['version']),
  };
  const command = `node bench/stop.mjs${smoke ? ' --smoke' : ''}${process.argv.includes('--runs') ? ` --runs ${RUNS}` : ''}`;
  writeResult('stop', {
    section: 4,
    title: 'Stop: SIGTERM -> supervisor exited (prompt app)',
    command,
    runtimes: versions,
    loadBefore,
    rows: cases.map((c) => row(c.label, 'ms', c.samples, c.goal)),
    notes: [
      'Span: from the SIGTERM the benchmark sends to `autopilot run` to the supervisor\'s exit as the benchmark\'s child-process handle sees it. Included: the stop sequence (`shutdown`, the job\'s `stopping`, deregistration from Consul when registered, SIGTERM to the app\'s process group and its exit, `stopped`), stopping the parts (control socket removed, Consul client closed) and the runtime\'s exit.',
    ],
  });
  const table = cases.map((c) => {
    const s = stats(c.samples);
    return `| ${c.label} | ${s.n} | ${ms(s.median)} | ${ms(s.p99)} | ${ms(s.min)} | ${ms(s.max)} | ${c.goal.text}: ${s.median <= c.goal.limit ? 'met' : 'not met'} |`;
  });
  writeReport('stop', [
    '# Stop: SIGTERM to the supervisor exited',
    '',
    machineLine('stop.mjs', loadBefore) + ` Bun ${versions.bun}, Deno ${versions.deno}, ${versions.consul}.`,
    '',
    `Command: \`${command}\``,
    '',
    '| case | samples | median | p99 | min | max | goal (median) |',
    '|---|---|---|---|---|---|---|',
    ...table,
    '',
    '## Method',
    '',
    `- The application is \`sh -c 'echo started > stamp; exec sleep 3600'\`: \`sleep\` ends at once on SIGTERM, so the figure is the supervisor's own stop.`,
    `- No Consul: \`autopilot run --config <file>\` with that one job and a control socket. Registered in Consul: \`consul:\` names a real agent on loopback and the job is a service (\`port\`, \`initial_status: "passing"\`, an \`exec: true\` health check every 5 s), so the stop deregisters it; after each exit the benchmark checks that the agent no longer lists it.`,
    `- Each sample starts a fresh supervisor, waits until the app has started and the control socket exists (and, with Consul, the agent lists the service), waits ${SETTLE_MS} ms more, then takes the wall clock and sends SIGTERM; the sample ends when the benchmark sees the process exit (\`exit\` event). Every sample must end with exit code 0 and no control socket left behind.`,
    '- Node: `node dist/cli/index.js`; Bun: `bun dist/cli/index.js`; Deno: `deno run -A dist/cli/index.js`; binary: `dist/bin/autopilot-linux-x64`.',
    `- ${RUNS} samples per case after ${WARMUP} warm-up run, the cases interleaved.`,
    '',
  ]);
} finally {
  for (const child of children) child.kill('SIGKILL');
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
}
