// Template rendering: `autopilot render -once` as a whole process against a real Consul agent
// (the hello-world nginx template, 16 instances), beside consul-template when it is built, and
// the in-process throughput of the Go-template engine on a typical ContainerPilot config (one of
// our fixtures, or of a compatibility corpus with --corpus <dir>).
// Writes bench/report-render.md. Needs dist/ (`npm run build`) and the Consul binary.
//   node bench/render.mjs [--runs N] [--corpus ../shared/compat]
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfigs } from './lib/configs.mjs';
import { machineLine, ms, numberFlag, repoRoot, smoke, statCells, stats, statsRow, versionOf, wallMs, writeReport, writeResult } from './lib/report.mjs';

const { startConsulAgent, consulPut, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));
const { renderTemplate } = await import(join(repoRoot, 'dist', 'supervisor', 'template', 'index.js'));
const { fullEnv } = await import(join(repoRoot, 'dist', 'supervisor', 'template', 'testdata', 'file-cases.js'));
const cliPath = join(repoRoot, 'dist', 'cli', 'index.js');

const RUNS = numberFlag('runs', 100, 5);
const WARMUPS = smoke ? 1 : 3;
const PER_SERVICE = 8;
const SAMPLES = smoke ? 5 : 30;
const BATCH = 200;
const template = join(repoRoot, 'generators', 'testdata', 'golden', 'hello-world', 'nginx', 'nginx.conf.ctmpl');
// The in-process config: the first whole config with a template action (ours: agent-chain.json5,
// a Consul agent chain with `{{ .CONSUL }}` inside), rendered with every variable it uses set.
const configs = benchConfigs();
const config = configs.files.find((f) => f.kind === 'config' && f.text.includes('{{'));
if (!config) throw new Error(`no config with a template action in ${configs.folder}`);
const configFile = config.name;
const configEnv = fullEnv(config.text);
const command = `node bench/render.mjs${smoke ? ' --smoke' : RUNS !== 100 ? ` --runs ${RUNS}` : ''}${configs.flag}`;

/** consul-template as scripts/setup-consul-template.sh caches it, when it is there (never built here). */
function consulTemplateBinary() {
  const fromEnv = process.env.AUTOPILOT_CONSUL_TEMPLATE_BIN;
  const pinned = /CONSUL_TEMPLATE_VERSION:-(v[0-9][0-9.]*)/.exec(readFileSync(join(repoRoot, 'scripts', 'setup-consul-template.sh'), 'utf8'))?.[1];
  const path = fromEnv || join(process.env.AUTOPILOT_CACHE || join(homedir(), '.cache', 'autopilot'), `consul-template-${pinned}`, 'consul-template');
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

/** Wall times (ms) of `argv` run to completion, after warm-ups; `before` runs untimed first. */
function wallTimes(argv, before = () => {}) {
  const times = [];
  for (let i = 0; i < RUNS + WARMUPS; i++) {
    before();
    const t0 = wallMs();
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: { ...process.env, CONTAINERPILOT: '', NO_COLOR: '1' }, timeout: 30_000 });
    const t = wallMs() - t0;
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status ?? r.signal}: ${r.stderr}`);
    if (i >= WARMUPS) times.push(t);
  }
  return stats(times);
}

/** Per-render time (µs) of `renderTemplate` on `text`: SAMPLES batches of BATCH renders. */
function inProcess(text) {
  for (let i = 0; i < BATCH * 2; i++) renderTemplate(text, configEnv, { name: configFile });
  const perRender = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = performance.now();
    for (let i = 0; i < BATCH; i++) renderTemplate(text, configEnv, { name: configFile });
    perRender.push(((performance.now() - t0) * 1000) / BATCH);
  }
  return stats(perRender);
}

const loadBefore = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-'));
let agent;
try {
  agent = await startConsulAgent();
  let port = 8001;
  for (const service of ['hello', 'world']) {
    for (let i = 0; i < PER_SERVICE; i++, port++) await consulPut(agent, '/v1/agent/service/register', { Name: service, ID: `${service}-${i}`, Address: '127.0.0.1', Port: port });
  }
  const out = join(dir, 'nginx.conf');
  const clearOut = () => rmSync(out, { force: true });
  const renderArgv = [process.execPath, cliPath, 'render', '-once', '-consul', agent.address, '-template', `${template}:${out}`];
  // Check once that the output has every instance, so the timings are of a complete render.
  clearOut();
  spawnSync(renderArgv[0], renderArgv.slice(1), { env: { ...process.env, CONTAINERPILOT: '' } });
  const servers = (readFileSync(out, 'utf8').match(/server 127\.0\.0\.1:80\d\d;/g) ?? []).length;
  if (servers !== 2 * PER_SERVICE) throw new Error(`autopilot render wrote ${servers} upstream servers, expected ${2 * PER_SERVICE}`);

  process.stderr.write(`bench: render, ${RUNS} runs each\n`);
  const version = wallTimes([process.execPath, cliPath, '--version']);
  const render = wallTimes(renderArgv, clearOut);
  const ct = consulTemplateBinary();
  const ctStats = ct ? wallTimes([ct, '-once', '-consul-addr', agent.address, '-template', `${template}:${out}`], clearOut) : undefined;
  const configText = config.text;
  const actions = (configText.match(/\{\{/g) ?? []).length;
  const engine = inProcess(configText);
  const us = (x) => `${x.toFixed(1)} µs`;

  writeReport('render', [
    '# Template rendering',
    '',
    machineLine('render.mjs', loadBefore) + ` ${versionOf(findConsulBinary(), ['version']) ?? 'Consul'}, single-server agent on loopback.`,
    '',
    `Command: \`${command}\` (also run by \`npm run bench\`).`,
    '',
    '## Whole process',
    '',
    `\`autopilot render -once\` of the hello-world nginx template with ${2 * PER_SERVICE} instances registered (${PER_SERVICE} \`hello\`, ${PER_SERVICE} \`world\`):`,
    '',
    '| command | runs | median | p95 | max |',
    '|---|---|---|---|---|',
    `| \`node dist/cli/index.js render -once -consul <agent> -template nginx.conf.ctmpl:<tmp>/nginx.conf\` | ${render.n} | ${statCells(render)} |`,
    `| \`node dist/cli/index.js --version\` (process start alone, for reference) | ${version.n} | ${statCells(version)} |`,
    ctStats
      ? `| \`consul-template -once -consul-addr <agent> -template ...\` (${(versionOf(ct, ['-v']) ?? 'consul-template').replace(/\s*\(\)$/, '')}, same template and output) | ${ctStats.n} | ${statCells(ctStats)} |`
      : '| consul-template (not built: `bash scripts/setup-consul-template.sh` adds this row) | | | | |',
    '',
    '## In process',
    '',
    `\`renderTemplate\` (dist/supervisor/template/index.js) on the ContainerPilot config \`${configs.folder}${configFile}\` (${configs.source}; ${configText.length} bytes, ${actions} template action${actions === 1 ? '' : 's'} inside) over a ${Object.keys(configEnv).length}-variable environment:`,
    '',
    '| per render | median | p95 | max | renders per second (median) |',
    '|---|---|---|---|---|',
    `| ${engine.n} batches of ${BATCH} | ${statCells(engine, us)} | ${Math.round(1e6 / engine.median).toLocaleString('en-US')} |`,
    '',
    '## Method',
    '',
    `- A real Consul agent (\`startConsulAgent()\`) with ${2 * PER_SERVICE} instances registered without checks (passing). The template is generators/testdata/golden/hello-world/nginx/nginx.conf.ctmpl, as \`autopilot new hello-world\` generates it; one render is checked to contain all ${2 * PER_SERVICE} upstream servers before timing.`,
    `- Whole process: wall time of the process from spawn to exit (Node's \`spawnSync\`), ${WARMUPS} warm-ups then ${RUNS} timed runs. The output file is deleted before each run, so every run queries Consul, renders and writes (as after a change); no command is attached.`,
    `- In process: ${BATCH * 2} warm-up renders, then ${SAMPLES} batches of ${BATCH}; each sample is a batch's time divided by ${BATCH} (parse and execute every time: nothing is cached between calls).`,
    '',
  ]);
  writeResult('render', {
    section: 10,
    title: 'Template rendering (`autopilot render -once`)',
    command,
    runtimes: { node: process.version },
    loadBefore,
    rows: [
      statsRow(`render -once, ${2 * PER_SERVICE} instances, whole Node process`, 'ms', render),
      ...(ctStats ? [statsRow('consul-template -once, same template', 'ms', ctStats)] : []),
      statsRow('node dist/cli/index.js --version (process start alone)', 'ms', version),
      statsRow('in-process render of a ContainerPilot config', 'µs', engine),
    ],
  });
} finally {
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
}
