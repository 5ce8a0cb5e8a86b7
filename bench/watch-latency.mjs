// Section 1, watch reaction latency: how long after a change in Consul (an instance's check
// turns passing, or the instance is deregistered) the `each: changed` hook of a real
// `autopilot run` starts, with blocking queries (the default) and with `blocking: false` at
// `interval: 3` (ContainerPilot 3's polling). Real Consul agent, real supervisor, loopback only.
// Needs dist/ (`npm run build`) and the Consul binary (testing/README.md).
//   node bench/watch-latency.mjs [--smoke] [--runs N] [--poll-runs N] [--bursts N]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineLine, ms, msRow, numberFlag, repoRoot, row, sleep, stats, versionOf, wallMs, writeReport, writeResult } from './lib/report.mjs';

const { startConsulAgent, consulPut, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));
const { statusJson } = await import(join(repoRoot, 'dist', 'testing', 'consul-run.js'));
const cliPath = join(repoRoot, 'dist', 'cli', 'index.js');

const RUNS = numberFlag('runs', 100, 5); // blocking samples per change kind
const POLL_RUNS = numberFlag('poll-runs', 30, 2); // polling samples per change kind (each costs ~3 s)
const BURSTS = numberFlag('bursts', 5, 2);
const BURST_SIZE = 10;
const SPACING_MS = 150;
const BLOCK_INTERVAL_S = 10;
const POLL_INTERVAL_S = 3;
const HOOK_TIMEOUT_MS = 15_000;
const QUIET_MS = 1500;
const CHECK_TTL = '10m'; // never expires during a run: only the explicit pass changes the status

const loadBefore = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-'));
let cp;
// Ctrl-C or an error: no supervisor and no temp dir left behind (the agent cleans up itself).
process.on('exit', () => {
  if (cp && cp.exitCode === null && cp.signalCode === null) cp.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

/** The two watches under test: one per mode, each with its own service and hook stamps file. */
const MODES = [
  { key: 'blocking', service: 'bench-blocking', stamps: join(dir, 'stamps-blocking'), watch: `interval: ${BLOCK_INTERVAL_S}`, runs: RUNS, label: 'blocking queries' },
  { key: 'polling', service: 'bench-polling', stamps: join(dir, 'stamps-polling'), watch: `interval: ${POLL_INTERVAL_S}, blocking: false`, runs: POLL_RUNS, label: `polling every ${POLL_INTERVAL_S} s (blocking: false)` },
];
const hookCommand = (m) => `date +%s%N >> ${m.stamps}`;

/** The hook's timestamps (ms since the epoch), one per run. */
function hookRuns(m) {
  if (!existsSync(m.stamps)) return [];
  return readFileSync(m.stamps, 'utf8').split('\n').filter((l) => l !== '').map((l) => Number(BigInt(l) / 1000n) / 1000);
}

/** Waits (bounded) until the hook has run more than `count` times; returns the new run's stamp. */
async function nextRun(m, count, what) {
  const end = Date.now() + HOOK_TIMEOUT_MS;
  for (;;) {
    const runs = hookRuns(m);
    if (runs.length > count) return runs[count];
    if (Date.now() > end) throw new Error(`${m.key} ${what}: the hook did not run within ${HOOK_TIMEOUT_MS} ms; supervisor output:\n${output.slice(-4000)}`);
    await sleep(2);
  }
}

/** Waits until no hook run has been added for QUIET_MS (bounded); returns every stamp. */
async function quiet(m) {
  const end = Date.now() + 30_000;
  let last = hookRuns(m).length;
  let since = Date.now();
  while (Date.now() - since < QUIET_MS) {
    if (Date.now() > end) throw new Error('the hook kept running for 30 s');
    await sleep(50);
    const n = hookRuns(m).length;
    if (n !== last) [last, since] = [n, Date.now()];
  }
  return hookRuns(m);
}

async function watchedInstances(socket, m) {
  const s = await statusJson(socket);
  return s.watches.find((w) => w.name === m.service)?.instances.length ?? -1;
}

/** Cost of the hook itself: spawn `sh -c 'date ...'` from Node, until it wrote its stamp. */
function hookSpawnCost(n) {
  const file = join(dir, 'spawn-stamps');
  const costs = [];
  for (let i = 0; i < n; i++) {
    const t0 = wallMs();
    spawnSync('sh', ['-c', `date +%s%N >> ${file}`]);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    costs.push(Number(BigInt(lines[lines.length - 1]) / 1000n) / 1000 - t0);
  }
  return costs;
}

let output = '';
let agent;
try {
  agent = await startConsulAgent();
  const socket = join(dir, 'cp.sock');
  const config = join(dir, 'containerpilot.json5');
  const jobs = MODES.map((m) => `    { name: "on-change-${m.key}", exec: ["sh", "-c", ${JSON.stringify(hookCommand(m))}], when: { source: "watch.${m.service}", each: "changed" } },`);
  const watches = MODES.map((m) => `    { name: "${m.service}", ${m.watch} },`);
  writeFileSync(config, `{\n  consul: "${agent.address}",\n  control: { socket: "${socket}" },\n  jobs: [\n${jobs.join('\n')}\n  ],\n  watches: [\n${watches.join('\n')}\n  ],\n}\n`);
  cp = spawn(process.execPath, [cliPath, 'run', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CONTAINERPILOT: '', NO_COLOR: '1' } });
  const keep = (d) => (output = (output + d.toString()).slice(-20_000));
  cp.stdout.on('data', keep);
  cp.stderr.on('data', keep);
  for (let i = 0; i < 200 && !existsSync(socket); i++) await sleep(50);
  if (!existsSync(socket)) throw new Error(`autopilot run: the control socket never appeared; output:\n${output}`);
  for (const m of MODES) if ((await watchedInstances(socket, m)) !== 0) throw new Error(`watch ${m.service} is not running with 0 instances; output:\n${output}`);

  /** An instance whose TTL check starts critical: registered, but not yet passing. */
  const registerCritical = (m, id, port) =>
    consulPut(agent, '/v1/agent/service/register', { Name: m.service, ID: id, Address: '127.0.0.1', Port: port, Check: { CheckID: `check-${id}`, Name: 'ttl', TTL: CHECK_TTL, Status: 'critical' } });
  const pass = (id) => consulPut(agent, `/v1/agent/check/pass/check-${id}`);
  const register = (m, id, port) => consulPut(agent, '/v1/agent/service/register', { Name: m.service, ID: id, Address: '127.0.0.1', Port: port });
  const deregister = (id) => consulPut(agent, `/v1/agent/service/deregister/${id}`);

  /** One change: the Consul call, then the hook's next stamp minus the moment the call returned. */
  async function change(m, call, what) {
    const before = hookRuns(m).length;
    const t0 = wallMs();
    await call();
    const returned = wallMs();
    const stamp = await nextRun(m, before, what);
    return { latency: stamp - returned, call: returned - t0 };
  }
  // Polling: a change made right after the hook ran would always land at the same point of the
  // poll cycle; a random pause of up to one interval makes its moment uniform over the cycle.
  const phase = (m) => (m.key === 'polling' ? sleep(Math.random() * POLL_INTERVAL_S * 1000) : Promise.resolve());

  const results = {};
  for (const m of MODES) {
    process.stderr.write(`bench: watch-latency, ${m.label}: ${m.runs} passing/deregistered cycles\n`);
    const id = `${m.service}-1`;
    // Warm-up cycle (first connections, first hook spawn), not counted.
    await registerCritical(m, id, 9001);
    await sleep(SPACING_MS);
    await change(m, () => pass(id), 'warm-up pass');
    await sleep(SPACING_MS);
    await change(m, () => deregister(id), 'warm-up deregister');
    await sleep(SPACING_MS);
    const passing = [];
    const gone = [];
    for (let i = 0; i < m.runs; i++) {
      await registerCritical(m, id, 9001);
      await sleep(SPACING_MS); // the critical registration is no change; let its answer pass
      await phase(m);
      passing.push(await change(m, () => pass(id), `pass ${i + 1}`));
      await sleep(SPACING_MS);
      await phase(m);
      gone.push(await change(m, () => deregister(id), `deregister ${i + 1}`));
      await sleep(SPACING_MS);
    }
    await quiet(m);
    const extra = hookRuns(m).length - 2 * (m.runs + 1);
    if (extra !== 0) throw new Error(`${m.key}: the hook ran ${extra} more times than there were changes`);
    results[m.key] = { passing, gone };
  }

  const blockingMode = MODES[0];
  process.stderr.write(`bench: watch-latency, ${BURSTS} bursts of ${BURST_SIZE} (blocking)\n`);
  const bursts = [];
  for (let b = 0; b < BURSTS; b++) {
    const before = hookRuns(blockingMode).length;
    const t0 = wallMs();
    for (let j = 0; j < BURST_SIZE; j++) await register(blockingMode, `burst-${j}`, 9100 + j);
    const lastReturned = wallMs();
    const all = await quiet(blockingMode);
    const seen = await watchedInstances(socket, blockingMode);
    if (seen !== BURST_SIZE) throw new Error(`after burst ${b + 1} the watch has ${seen} instances, not ${BURST_SIZE}`);
    const runs = all.slice(before);
    if (runs.length === 0) throw new Error(`burst ${b + 1}: the hook did not run`);
    bursts.push({ afterLast: runs[runs.length - 1] - lastReturned, fromFirst: runs[runs.length - 1] - t0, hookRuns: runs.length });
    for (let j = 0; j < BURST_SIZE; j++) await deregister(`burst-${j}`);
    await quiet(blockingMode);
  }
  const spawnCost = hookSpawnCost(Math.min(RUNS, 50));

  const lat = (xs) => xs.map((r) => r.latency);
  const b = results.blocking;
  const p = results.polling;
  const p50Goal = { text: '<= 50 ms', stat: 'median', limit: 50, better: 'lower' };
  const p99Goal = { text: '<= 250 ms', stat: 'p99', limit: 250, better: 'lower' };
  const rows = [
    row('blocking: check turns passing -> hook started', 'ms', lat(b.passing), p50Goal),
    row('blocking: instance deregistered -> hook started', 'ms', lat(b.gone), p50Goal),
    row('blocking: either change -> hook started', 'ms', [...lat(b.passing), ...lat(b.gone)], p99Goal),
    row(`polling ${POLL_INTERVAL_S} s (ContainerPilot's way): check turns passing -> hook started`, 'ms', lat(p.passing)),
    row(`polling ${POLL_INTERVAL_S} s: instance deregistered -> hook started`, 'ms', lat(p.gone)),
    row(`blocking, burst of ${BURST_SIZE} registrations: last returned -> last hook run started`, 'ms', bursts.map((x) => x.afterLast)),
    row('(the hook itself: Node spawns `sh -c date` until its stamp is written)', 'ms', spawnCost),
  ];
  const consulVersion = versionOf(findConsulBinary(), ['version']) ?? 'Consul';
  const command = ['node bench/watch-latency.mjs', ...process.argv.slice(2)].join(' ');
  writeResult('watch-latency', {
    section: 1,
    title: 'Watch reaction latency',
    command,
    runtimes: { node: process.version },
    loadBefore,
    rows,
    notes: [
      `A Consul change -> the \`each: changed\` hook job of a real \`autopilot run\` started (its \`date +%s%N\`), blocking queries vs \`blocking: false\` polling every ${POLL_INTERVAL_S} s as ContainerPilot 3 does. ${consulVersion}.`,
    ],
  });

  const callS = stats([...b.passing, ...b.gone, ...p.passing, ...p.gone].map((r) => r.call));
  const runsS = stats(bursts.map((x) => x.hookRuns));
  const table = msRow;
  writeReport('watch-latency', [
    '# 1. Watch reaction latency: Consul change to hook start',
    '',
    machineLine('watch-latency.mjs', loadBefore) + ` ${consulVersion}, single-server agent on loopback.`,
    '',
    `Command: \`${command}\`.`,
    '',
    '| case | n | median | p95 | p99 | max |',
    '|---|---|---|---|---|---|',
    table('blocking: check turns passing -> hook started (goal p50 <= 50 ms)', lat(b.passing)),
    table('blocking: instance deregistered -> hook started (goal p50 <= 50 ms)', lat(b.gone)),
    table('blocking: either change (goal p99 <= 250 ms)', [...lat(b.passing), ...lat(b.gone)]),
    table(`polling every ${POLL_INTERVAL_S} s: check turns passing -> hook started`, lat(p.passing)),
    table(`polling every ${POLL_INTERVAL_S} s: instance deregistered -> hook started`, lat(p.gone)),
    table(`blocking, burst: ${BURST_SIZE} registrations back to back, last one returned -> last hook run started`, bursts.map((x) => x.afterLast)),
    table('blocking, burst: first registration sent -> last hook run started', bursts.map((x) => x.fromFirst)),
    table('(the Consul call itself: check pass or deregister)', [...b.passing, ...b.gone, ...p.passing, ...p.gone].map((r) => r.call)),
    table("(the hook's own cost: Node spawns `sh -c 'date ...'` until the stamp is written)", spawnCost),
    '',
    `Hook runs per burst: median ${runsS.median}, max ${runsS.max} (changes that arrive while the hook runs are coalesced into one more run). Consul call median ${ms(callS.median)}.`,
    '',
    `Polling: a change waits for the next poll, so its latency is spread over one interval (${POLL_INTERVAL_S} s): expect a median near ${POLL_INTERVAL_S / 2} s and a p99 near ${POLL_INTERVAL_S} s, plus the hook's start.`,
    '',
    '## Method',
    '',
    `- A real Consul agent (\`startConsulAgent()\`, testing/consul-agent.ts) and a real \`node dist/cli/index.js run\` with two watches: \`{ name: "${MODES[0].service}", ${MODES[0].watch} }\` (blocking queries, the default) and \`{ name: "${MODES[1].service}", ${MODES[1].watch} }\` (polling, ContainerPilot 3's behaviour); each has one hook job \`when: { source: "watch.<name>", each: "changed" }\` running \`sh -c 'date +%s%N >> <stamps>'\`.`,
    `- One cycle per sample pair: the instance is registered with a TTL check that starts \`critical\` (not passing: no event), ${SPACING_MS} ms pause, then \`PUT /v1/agent/check/pass/<check>\` (the instance becomes passing: sample "check turns passing"), wait for the hook's stamp, ${SPACING_MS} ms, \`PUT /v1/agent/service/deregister/<id>\` (sample "deregistered"), wait for the stamp, ${SPACING_MS} ms. ${RUNS} cycles blocking, ${POLL_RUNS} polling, each after one uncounted warm-up cycle. The hook must run exactly once per change (checked).`,
    `- Polling: before each change a random pause of 0 to ${POLL_INTERVAL_S} s, so the change falls at a uniformly random point of the poll cycle (otherwise every change would follow the hook, hence the last poll, by the same delay).`,
    '- Latency = hook stamp - the moment the Consul HTTP call returned to the benchmark (`performance.timeOrigin + performance.now()`, the same wall clock as `date`). It includes the watch seeing the change, the event bus, the job start (fork/exec of `sh`, then `date`).',
    `- Bursts (blocking watch): ${BURSTS} times, ${BURST_SIZE} check-less instances registered one after another, then a wait until the hook has been quiet for ${QUIET_MS} ms and \`autopilot status --json\` shows ${BURST_SIZE} instances.`,
    '',
  ]);
} finally {
  if (cp && cp.exitCode === null && cp.signalCode === null) {
    cp.kill('SIGTERM');
    const killer = setTimeout(() => cp.kill('SIGKILL'), 8000);
    await new Promise((r) => (cp.exitCode !== null || cp.signalCode !== null ? r() : cp.once('exit', r)));
    clearTimeout(killer);
  }
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
}
