// Watch latency: how long after a change in Consul the `each: changed` hook of a real
// `autopilot run` starts (DESIGN.md: watches use blocking queries, "a change reaches the hook in
// milliseconds, not after the next poll"). Real Consul agent, real supervisor, loopback only;
// writes bench/report-watch-latency.md. Needs dist/ (`npm run build`) and the Consul binary
// (testing/README.md).
//   node bench/watch-latency.mjs [--runs N] [--bursts N]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineLine, ms, numberFlag, repoRoot, sleep, statCells, stats, versionOf, wallMs, writeReport } from './lib/report.mjs';

const { startConsulAgent, consulPut, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));
const { statusJson } = await import(join(repoRoot, 'dist', 'testing', 'consul-run.js'));
const cliPath = join(repoRoot, 'dist', 'cli', 'index.js');

const RUNS = numberFlag('runs', 30);
const BURSTS = numberFlag('bursts', 5);
const BURST_SIZE = 10;
const SPACING_MS = 300;
const INTERVAL_S = 10;
const HOOK_TIMEOUT_MS = 15_000;
const QUIET_MS = 1500;
const SERVICE = 'bench-target';

const loadBefore = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-'));
const stamps = join(dir, 'stamps');
const hookCommand = `date +%s%N >> ${stamps}`;

/** The hook's timestamps (ms since the epoch), one per run. */
function hookRuns() {
  if (!existsSync(stamps)) return [];
  return readFileSync(stamps, 'utf8').split('\n').filter((l) => l !== '').map((l) => Number(BigInt(l) / 1000n) / 1000);
}

/** Waits (bounded) until the hook has run more than `count` times; returns the new run's stamp. */
async function nextRun(count, what) {
  const end = Date.now() + HOOK_TIMEOUT_MS;
  for (;;) {
    const runs = hookRuns();
    if (runs.length > count) return runs[count];
    if (Date.now() > end) throw new Error(`${what}: the hook did not run within ${HOOK_TIMEOUT_MS} ms; supervisor output:\n${output.slice(-4000)}`);
    await sleep(2);
  }
}

/** Waits until no hook run has been added for QUIET_MS (bounded); returns every stamp. */
async function quiet() {
  const end = Date.now() + 30_000;
  let last = hookRuns().length;
  let since = Date.now();
  while (Date.now() - since < QUIET_MS) {
    if (Date.now() > end) throw new Error('the hook kept running for 30 s');
    await sleep(50);
    const n = hookRuns().length;
    if (n !== last) [last, since] = [n, Date.now()];
  }
  return hookRuns();
}

async function watchedInstances(socket) {
  const s = await statusJson(socket);
  return s.watches.find((w) => w.name === SERVICE)?.instances.length ?? -1;
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
  return stats(costs);
}

let output = '';
let agent;
let cp;
try {
  agent = await startConsulAgent();
  const socket = join(dir, 'cp.sock');
  const config = join(dir, 'containerpilot.json5');
  writeFileSync(config, `{
  consul: "${agent.address}",
  control: { socket: "${socket}" },
  jobs: [
    { name: "on-change", exec: ["sh", "-c", ${JSON.stringify(hookCommand)}], when: { source: "watch.${SERVICE}", each: "changed" } },
  ],
  watches: [ { name: "${SERVICE}", interval: ${INTERVAL_S} } ],
}\n`);
  cp = spawn(process.execPath, [cliPath, 'run', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CONTAINERPILOT: '', NO_COLOR: '1' } });
  const keep = (d) => (output = (output + d.toString()).slice(-20_000));
  cp.stdout.on('data', keep);
  cp.stderr.on('data', keep);
  for (let i = 0; i < 200 && !existsSync(socket); i++) await sleep(50);
  if (!existsSync(socket)) throw new Error(`autopilot run: the control socket never appeared; output:\n${output}`);
  if ((await watchedInstances(socket)) !== 0) throw new Error(`the watch is not running with 0 instances; output:\n${output}`);

  const register = (id, port) => consulPut(agent, '/v1/agent/service/register', { Name: SERVICE, ID: id, Address: '127.0.0.1', Port: port });
  const deregister = (id) => consulPut(agent, `/v1/agent/service/deregister/${id}`);

  /** One change: the Consul call, then the hook's next stamp minus the moment the call returned. */
  async function change(call, what) {
    const before = hookRuns().length;
    const t0 = wallMs();
    await call();
    const returned = wallMs();
    const stamp = await nextRun(before, what);
    return { latency: stamp - returned, fromCall: stamp - t0, call: returned - t0 };
  }

  process.stderr.write(`bench: watch-latency, ${RUNS} register/deregister cycles\n`);
  // Warm-up cycle (first connections, first hook spawn), not counted.
  await change(() => register('warm', 9000), 'warm-up register');
  await sleep(SPACING_MS);
  await change(() => deregister('warm'), 'warm-up deregister');
  await sleep(SPACING_MS);
  const reg = [];
  const dereg = [];
  for (let i = 0; i < RUNS; i++) {
    reg.push(await change(() => register(`${SERVICE}-1`, 9001), `register ${i + 1}`));
    await sleep(SPACING_MS);
    dereg.push(await change(() => deregister(`${SERVICE}-1`), `deregister ${i + 1}`));
    await sleep(SPACING_MS);
  }
  await quiet();

  process.stderr.write(`bench: watch-latency, ${BURSTS} bursts of ${BURST_SIZE}\n`);
  const bursts = [];
  for (let b = 0; b < BURSTS; b++) {
    const before = hookRuns().length;
    const t0 = wallMs();
    for (let j = 0; j < BURST_SIZE; j++) await register(`${SERVICE}-burst-${j}`, 9100 + j);
    const lastReturned = wallMs();
    const all = await quiet();
    const seen = await watchedInstances(socket);
    if (seen !== BURST_SIZE) throw new Error(`after burst ${b + 1} the watch has ${seen} instances, not ${BURST_SIZE}`);
    const runs = all.slice(before);
    if (runs.length === 0) throw new Error(`burst ${b + 1}: the hook did not run`);
    bursts.push({ afterLast: runs[runs.length - 1] - lastReturned, fromFirst: runs[runs.length - 1] - t0, registering: lastReturned - t0, hookRuns: runs.length });
    for (let j = 0; j < BURST_SIZE; j++) await deregister(`${SERVICE}-burst-${j}`);
    await quiet();
  }
  const spawnCost = hookSpawnCost(RUNS);

  const regS = stats(reg.map((r) => r.latency));
  const deregS = stats(dereg.map((r) => r.latency));
  const callS = stats([...reg, ...dereg].map((r) => r.call));
  const lastS = stats(bursts.map((b) => b.afterLast));
  const firstS = stats(bursts.map((b) => b.fromFirst));
  const registeringS = stats(bursts.map((b) => b.registering));
  const runsS = stats(bursts.map((b) => b.hookRuns));
  const consulVersion = versionOf(findConsulBinary(), ['version']) ?? 'Consul';
  // ContainerPilot 3 polled every `interval`: a change waits for the next poll, uniformly
  // distributed over one interval (arithmetic, not measured).
  const poll = (q) => `${(INTERVAL_S * q).toFixed(2)} s`;
  writeReport('watch-latency', [
    '# Watch latency: Consul change to hook start',
    '',
    machineLine('watch-latency.mjs', loadBefore) + ` ${consulVersion}, single-server agent on loopback.`,
    '',
    'Command: `node bench/watch-latency.mjs' + (RUNS !== 30 || BURSTS !== 5 ? ` --runs ${RUNS} --bursts ${BURSTS}` : '') + '` (also run by `npm run bench`).',
    '',
    '| case | samples | median | p95 | max |',
    '|---|---|---|---|---|',
    `| register one instance -> hook started | ${regS.n} | ${statCells(regS)} |`,
    `| deregister it -> hook started | ${deregS.n} | ${statCells(deregS)} |`,
    `| burst: ${BURST_SIZE} registrations back to back, last one returned -> last hook run started | ${lastS.n} | ${statCells(lastS)} |`,
    `| burst: first registration sent -> last hook run started | ${firstS.n} | ${statCells(firstS)} |`,
    `| (the Consul registration call itself) | ${callS.n} | ${statCells(callS)} |`,
    `| (the ${BURST_SIZE} registrations of a burst) | ${registeringS.n} | ${statCells(registeringS)} |`,
    `| (the hook's own cost: Node spawns \`sh -c 'date ...'\` until the stamp is written) | ${spawnCost.n} | ${statCells(spawnCost)} |`,
    '',
    `Hook runs per burst: median ${runsS.median}, max ${runsS.max} (changes that arrive while the hook runs are coalesced into one more run).`,
    '',
    `For comparison, ContainerPilot 3 polls the watch every \`interval\` (${INTERVAL_S} s here): a change made at a random moment waits for the next poll, uniformly over one interval, so on average interval/2 = ${poll(0.5)}, median ${poll(0.5)}, p95 ${poll(0.95)}, max ${poll(1)} (arithmetic, not measured), plus the hook's own start. A burst that fits inside one interval is seen whole at the next poll, so the same figures apply to its last instance.`,
    '',
    '## Method',
    '',
    `- A real Consul agent (\`startConsulAgent()\`, testing/consul-agent.ts) and a real \`node dist/cli/index.js run\` with one watch (\`{ name: "${SERVICE}", interval: ${INTERVAL_S} }\`) and one hook job \`when: { source: "watch.${SERVICE}", each: "changed" }\` whose exec is \`sh -c '${hookCommand.replace(dir, '<tmp>')}'\`: each run appends a wall-clock timestamp in nanoseconds.`,
    `- Single changes: ${RUNS} cycles of register (\`PUT /v1/agent/service/register\`, no checks, so the instance is passing at once) then deregister, each followed by a wait for the hook's stamp and ${SPACING_MS} ms of pause; one warm-up cycle is not counted. Latency = hook stamp - the moment the Consul HTTP call returned to the benchmark (\`performance.timeOrigin + performance.now()\`, the same wall clock as \`date\`).`,
    `- Bursts: ${BURSTS} times, ${BURST_SIZE} instances registered one after another (each call awaited), then a wait until the hook has been quiet for ${QUIET_MS} ms and \`autopilot status --json\` shows ${BURST_SIZE} instances; latency = the last hook stamp - the return of the last registration (and - the start of the first). All ${BURST_SIZE} are deregistered between bursts.`,
    '- The hook\'s own cost row bounds how much of the latency is forking `sh` and `date` rather than the watch.',
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
