// Soak: the load of bench/cost.mjs (5 jobs, 1 s built-in http health checks, registered in a real
// Consul agent) for N minutes (30 by default), plus a watch whose service flaps every second (this
// benchmark registers and deregisters an instance in Consul) with an `each: changed` hook job, a
// crash-looping job (exits 1 after 0.5 s, restarts unlimited: the back-off applies) and steady
// control-socket traffic (putenv, putmetric, status, ping, a maintenance toggle a minute).
// Samples the supervisor's RSS, heap used after a forced GC (the AUTOPILOT_BENCH_HEAP hook), open
// file descriptors and child processes; judges the second half's growth by a least-squares line.
// Section 6 of REPORT.md.
//   node bench/soak.mjs [--smoke] [--minutes N] [--runtime node|bun|deno|binary] [--log FILE]
// --log FILE: the supervisor's output, appended to FILE (with BUN_JSC_* or V8 tracing in the
// environment, it shows what the JIT compiled and when).
// Needs dist/ (`npm run build`) and the Consul binary (the binary runtime: `npm run build:binary`).
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, fdCount, JOBS, jobsConfig, ppidOf, rssParts, runtimeVersion, startServices, startSupervisor, waitPassing } from './cost.mjs';
import { machineLine, numberFlag, repoRoot, row, sleep, smoke, stats, versionOf, writeReport, writeResult } from './lib/report.mjs';
import { smaps, smapsDelta } from './lib/smaps.mjs';
import { trend } from './lib/trend.mjs';

const { startConsulAgent, consulPut, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));
const { cliRuntime } = await import(join(repoRoot, 'dist', 'testing', 'runtimes.js'));
const { ControlClient } = await import(join(repoRoot, 'dist', 'supervisor', 'control', 'index.js'));

const MINUTES = numberFlag('minutes', 30);
const DURATION_S = smoke ? 20 : MINUTES * 60;
const WARMUP_S = smoke ? 3 : 30;
const SAMPLE_S = smoke ? 2 : 5;
const FLAP_MS = 1000;
/** One control request every CONTROL_MS, cycling through CONTROL_CYCLE; maintenance on and off once every MAINT_EVERY requests. */
const CONTROL_MS = 250;
const CONTROL_CYCLE = ['putenv', 'putmetric', 'status', 'ping'];
const MAINT_EVERY = smoke ? 20 : 240;
const SERVICE = 'soak-flapper';
const ri = process.argv.indexOf('--runtime');
const runtime = cliRuntime(ri > 0 ? process.argv[ri + 1] : 'node');
/** Node's figures are section 6's `soak`; another runtime's go beside them (`soak-binary`). */
const NAME = runtime.name === 'node' ? 'soak' : `soak-${runtime.name}`;

/** A free loopback TCP port (for telemetry, which putmetric needs). */
async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

const loadBefore = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-soak-'));
const runs = join(dir, 'hook-runs');
const crashes = join(dir, 'crash-runs');
const heapFile = join(dir, 'heap');
// Ctrl-C ends this process through process.exit() (the Consul helper's handler): no finally runs.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const lines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);
/** The heap hook's last line: [ms since the epoch, heap used, then on V8 (Node, Deno) code and bytecode with metadata, heap total, external; in MiB] (undefined before the first). */
const lastHeap = () => {
  const l = lines(heapFile).at(-1);
  return l === undefined ? undefined : l.split(' ').map(Number).map((v, i) => (i >= 1 ? v / 1024 / 1024 : v));
};
const stateOf = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
};
/** Direct children, all descendants, and zombies among them, of `pid` at this instant. */
function tree(pid) {
  const all = descendants(pid);
  const alive = (f) => (p) => { try { return f(p); } catch { return false; } };
  return { children: all.filter(alive((p) => ppidOf(p) === pid)).length, descendants: all.length, zombies: all.filter(alive((p) => stateOf(p) === 'Z')).length };
}

let agent;
let svc;
let sup;
let running = false;
let flapper;
let controller;
try {
  agent = await startConsulAgent();
  svc = await startServices(JOBS);
  const socket = join(dir, 'cp.sock');
  const config = join(dir, 'containerpilot.json5');
  const telemetryPort = await freePort();
  writeFileSync(config, [
    '{',
    `  consul: "${agent.address}",`,
    `  control: { socket: "${socket}" },`,
    '  jobs: [',
    ...jobsConfig('soak', svc.services, 'http'),
    `    { name: "on-change", exec: ["sh", "-c", "echo run >> ${runs}"], when: { source: "watch.${SERVICE}", each: "changed" } },`,
    `    { name: "crash-loop", exec: ["sh", "-c", "echo run >> ${crashes}; sleep 0.5; exit 1"], restarts: "unlimited" },`,
    '  ],',
    `  watches: [ { name: "${SERVICE}", interval: 5 } ],`,
    `  telemetry: { port: ${telemetryPort}, interfaces: ["static:127.0.0.1"], metrics: [{ namespace: "soak", subsystem: "", name: "puts_total", help: "puts by the soak", type: "counter" }] },`,
    '}',
    '',
  ].join('\n'));
  // The heap hook (cli/commands/heap-probe.ts): a forced full collection every 5 s, then the heap
  // used, appended to heapFile. Node needs --expose-gc for the collection; Bun has Bun.gc.
  process.env.AUTOPILOT_BENCH_HEAP = heapFile;
  const li = process.argv.indexOf('--log');
  const logT0 = performance.now();
  const stamp = () => `[${((performance.now() - logT0) / 1000).toFixed(1)} s] `;
  const onOutput = li > 0 ? (text) => appendFileSync(process.argv[li + 1], text.replace(/^(?=.)/gm, stamp)) : undefined;
  sup = await startSupervisor(runtime, config, socket, { nodeFlags: runtime.name === 'node' ? ['--expose-gc'] : [], onOutput });
  delete process.env.AUTOPILOT_BENCH_HEAP;
  const names = svc.services.map((_, i) => `soak-${i + 1}`);
  await waitPassing(agent, names, sup);
  running = true;

  // The flapper: one instance of the watched service, registered then deregistered, one change a second.
  let toggles = 0;
  let flapErrors = 0;
  const flapT0 = performance.now();
  flapper = (async () => {
    for (let i = 1; running; i++) {
      try {
        if (i % 2) await consulPut(agent, '/v1/agent/service/register', { Name: SERVICE, ID: `${SERVICE}-1`, Address: '127.0.0.1', Port: 9999 });
        else await consulPut(agent, `/v1/agent/service/deregister/${SERVICE}-1`);
        toggles++;
      } catch {
        flapErrors++;
      }
      await sleep(Math.max(0, flapT0 + i * FLAP_MS - performance.now()));
    }
  })();

  // Control traffic: one request every CONTROL_MS over the unix socket, each must answer 2xx.
  const control = new ControlClient(socket, 10_000);
  const requests = Object.fromEntries([...CONTROL_CYCLE, 'maintenance'].map((k) => [k, 0]));
  const controlErrors = [];
  controller = (async () => {
    const t0 = performance.now();
    for (let i = 1; running; i++) {
      const kind = i % MAINT_EVERY === 0 ? 'maintenance' : CONTROL_CYCLE[i % CONTROL_CYCLE.length];
      try {
        if (kind === 'putenv') await control.putEnv({ SOAK_COUNTER: String(i) });
        else if (kind === 'putmetric') await control.putMetric({ soak_puts_total: 1 });
        else if (kind === 'status') await control.status();
        else if (kind === 'ping') await control.ping();
        else {
          await control.setMaintenance(true);
          await sleep(CONTROL_MS);
          await control.setMaintenance(false);
        }
        requests[kind]++;
      } catch (err) {
        if (controlErrors.length < 5) controlErrors.push(`${kind}: ${err.message}`);
        else controlErrors.push('');
      }
      await sleep(Math.max(0, t0 + i * CONTROL_MS - performance.now()));
    }
  })();

  process.stderr.write(`bench: soak, ${runtime.name}, ${WARMUP_S} s warm-up + ${DURATION_S} s, a sample every ${SAMPLE_S} s\n`);
  await sleep(WARMUP_S * 1000);
  for (let i = 0; i < 150 && lastHeap() === undefined; i++) await sleep(100);
  // Start half-way between two changes, so no hook run is in flight when the counts are taken.
  await sleep(FLAP_MS - ((performance.now() - flapT0 + FLAP_MS / 2) % FLAP_MS));
  const samples = [];
  const togglesAtStart = toggles;
  const runsAtStart = lines(runs).length;
  const crashesAtStart = lines(crashes).length;
  const requestsAtStart = Object.values(requests).reduce((a, b) => a + b, 0);
  const t0 = performance.now();
  const count = Math.floor(DURATION_S / SAMPLE_S) + 1;
  // The mappings at the first sample of the second half and at the last: where its growth went.
  let mapsAtHalf = new Map();
  let mapsAtEnd = new Map();
  for (let i = 0; i < count; i++) {
    await sleep(Math.max(0, t0 + i * SAMPLE_S * 1000 - performance.now()));
    if (!sup.running()) throw new Error(`the supervisor exited during the soak; output:\n${sup.output().slice(-4000)}`);
    const heap = lastHeap();
    const parts = rssParts(sup.pid);
    if (i === Math.floor(count / 2)) mapsAtHalf = smaps(sup.pid);
    if (i === count - 1) mapsAtEnd = smaps(sup.pid);
    const s = {
      t: (performance.now() - t0) / 1000,
      rss: parts.rss / 1024,
      anon: parts.anon / 1024,
      file: parts.file / 1024,
      heap: heap?.[1] ?? NaN,
      code: heap?.[2] ?? NaN,
      data: heap?.[2] === undefined ? NaN : heap[1] - heap[2],
      heapTotal: heap?.[3] ?? NaN,
      external: heap?.[4] ?? NaN,
      heapAge: heap ? (Date.now() - heap[0]) / 1000 : Infinity,
      fds: fdCount(sup.pid),
      ...tree(sup.pid),
      runs: lines(runs).length - runsAtStart,
      toggles: toggles - togglesAtStart,
      crashes: lines(crashes).length - crashesAtStart,
      requests: Object.values(requests).reduce((a, b) => a + b, 0) - requestsAtStart,
      load: loadavg()[0],
    };
    samples.push(s);
    if (!smoke && i % 12 === 0) process.stderr.write(`bench: soak t=${s.t.toFixed(0)} s rss=${s.rss.toFixed(1)} MiB heap=${s.heap.toFixed(2)} MiB fds=${s.fds} children=${s.children} descendants=${s.descendants} hook runs=${s.runs}/${s.toggles} crash-loop runs=${s.crashes} control requests=${s.requests} load=${s.load.toFixed(2)}\n`);
  }
  running = false;
  await flapper;
  await controller;
  const last = samples[samples.length - 1];
  await waitPassing(agent, names, sup, 15_000);

  // Start and end: the first and last minute of samples (one sample is whatever the garbage
  // collector left at that instant).
  const k = Math.max(1, Math.min(Math.floor(60 / SAMPLE_S), Math.floor(samples.length / 3)));
  const head = samples.slice(0, k);
  const tail = samples.slice(-k);
  const med = (xs) => stats(xs).median;
  const finite = (xs) => xs.filter(Number.isFinite);
  const at = (key) => ({ start: med(finite(head.map((s) => s[key]))), end: med(finite(tail.map((s) => s[key]))), s: stats(finite(samples.map((s) => s[key]))) });
  const rss = at('rss');
  const anon = at('anon');
  const file = at('file');
  const heap = at('heap');
  const fds = at('fds');
  const children = at('children');
  const desc = at('descendants');
  // The rule: over the second half (warm-up effects, JIT and the heap settling, show in the first
  // half only; a leak in both), a least-squares line of RSS and of heap against time; flat "within
  // noise" when the fitted growth over that half is at most twice the residuals' standard deviation.
  const second = samples.slice(Math.floor(samples.length / 2));
  const halfS = second[second.length - 1].t - second[0].t;
  const rssTrend = trend(second.map((s) => [s.t, s.rss]), halfS);
  // RSS in its two kinds: a leak grows the anonymous pages; the file-backed ones are the
  // executable's and the libraries' pages, faulted in as code paths run for the first time (a JIT
  // tier compiling a function uses compiler code it had not touched), bounded by the files' size.
  const anonTrend = trend(second.map((s) => [s.t, s.anon]), halfS);
  const fileTrend = trend(second.map((s) => [s.t, s.file]), halfS);
  const heapTrend = trend(second.filter((s) => Number.isFinite(s.heap)).map((s) => [s.t, s.heap]), halfS);
  // V8 reports its code apart (compiled code and bytecode with their metadata): code for
  // functions that got hot is a cache, not the program's data, so both parts are judged on their
  // own too (Bun's heap has no such split).
  const split = second.some((s) => Number.isFinite(s.code));
  const codeTrend = split ? trend(second.filter((s) => Number.isFinite(s.code)).map((s) => [s.t, s.code]), halfS) : undefined;
  const dataTrend = split ? trend(second.filter((s) => Number.isFinite(s.data)).map((s) => [s.t, s.data]), halfS) : undefined;
  const code = split ? at('code') : undefined;
  const data = split ? at('data') : undefined;
  const heapTotal = split ? at('heapTotal') : undefined;
  const external = split ? at('external') : undefined;

  // What breaks the run (not figures a busy machine moves): an fd or process leak, zombies left,
  // the watch hook or the heap hook stopping, control requests failing, the flapper failing.
  const broken = [];
  const lo = (xs, key) => Math.min(...xs.map((s) => s[key]));
  const hi = (xs, key) => Math.max(...xs.map((s) => s[key]));
  if (lo(tail, 'fds') > hi(head, 'fds')) broken.push(`open fds grew: at least ${lo(tail, 'fds')} in the last ${k} samples, at most ${hi(head, 'fds')} in the first`);
  if (lo(tail, 'descendants') > hi(head, 'descendants')) broken.push(`processes under the supervisor grew: at least ${lo(tail, 'descendants')} in the last ${k} samples, at most ${hi(head, 'descendants')} in the first`);
  if (lo(tail, 'zombies') > 0) broken.push(`${lo(tail, 'zombies')} zombie(s) under the supervisor in every one of the last ${k} samples`);
  // The hook must keep up: one run per change (a change arriving while the hook runs is coalesced
  // into one more run, so a few may merge; none may be lost for good).
  if (last.runs < 0.9 * last.toggles - 2 || last.runs > last.toggles + 2) broken.push(`the hook ran ${last.runs} times for ${last.toggles} changes`);
  const staleHeap = samples.filter((s) => s.heapAge > 15).length;
  if (staleHeap > 1) broken.push(`the heap hook (AUTOPILOT_BENCH_HEAP) wrote nothing for over 15 s at ${staleHeap} samples`);
  if (last.crashes < 2) broken.push(`the crash-looping job ran ${last.crashes} times`);
  if (controlErrors.length > 0) broken.push(`${controlErrors.length} control requests failed: ${controlErrors.filter(Boolean).join('; ')}`);
  if (flapErrors > 0) broken.push(`${flapErrors} Consul calls of the flapper failed`);

  const minutes = (last.t / 60).toFixed(1);
  const flags = process.argv.slice(2).join(' ');
  const command = `node bench/soak.mjs${flags ? ` ${flags}` : ''}`;
  const window = `${k} samples (${k * SAMPLE_S} s)`;
  const verdictOf = (tr) => (tr.falling ? 'no growth (falls beyond the band)' : tr.flat ? 'zero within noise' : 'growth beyond noise');
  const mib = (x) => `${x.toFixed(2)} MiB`;
  const perMin = (x) => `${(x * 60).toFixed(3)} MiB/min`;
  const judge = (name, tr) =>
    `${name}: slope ${perMin(tr.slope)} (95% CI ${perMin(tr.ciLow)} to ${perMin(tr.ciHigh)}, n = ${tr.n}), fitted growth over the second half ${mib(tr.growth)} against a noise band of ${mib(tr.band)} (2 x residual stddev ${mib(tr.sigma)}): **${verdictOf(tr)}**.`;
  const flatGoal = (tr) => ({ text: `<= ${tr.band.toFixed(2)} MiB (2 sigma of residuals)`, stat: 'max', limit: Number(tr.band.toFixed(3)), better: 'lower' });
  const rows = [
    row(`RSS, supervisor (${runtime.name}), every ${SAMPLE_S} s over ${minutes} min`, 'MiB', samples.map((s) => s.rss)),
    row(`RSS fitted growth over the second half (least squares, slope x ${(halfS / 60).toFixed(1)} min)`, 'MiB', [rssTrend.growth], flatGoal(rssTrend)),
    row(`of which anonymous RSS (heap, stacks, malloc: where a leak lives): fitted growth over the second half`, 'MiB', [anonTrend.growth], flatGoal(anonTrend)),
    row(`of which file-backed RSS (the executable's pages mapped in on first use): fitted growth over the second half`, 'MiB', [fileTrend.growth]),
    row(`Heap used after a forced GC (${runtime.name}), every ${SAMPLE_S} s`, 'MiB', samples.map((s) => s.heap).filter(Number.isFinite)),
    row(`Heap fitted growth over the second half (least squares, slope x ${(halfS / 60).toFixed(1)} min)`, 'MiB', [heapTrend.growth], flatGoal(heapTrend)),
    row(`Open fds, supervisor, every ${SAMPLE_S} s`, 'fds', samples.map((s) => s.fds)),
    // The leak rule of the broken check above: a count that only wobbles by one (a connection open
    // at one sample and not the next) is no growth; every sample of the end above the start's most is.
    row(`Open fds growth: the fewest in the last ${window} minus the most in the first`, 'fds', [lo(tail, 'fds') - hi(head, 'fds')], { text: '<= 0 (no leak)', stat: 'max', limit: 0, better: 'lower' }),
    row(`Child processes, every ${SAMPLE_S} s`, 'processes', samples.map((s) => s.children)),
  ];
  const series = [
    {
      title: `Soak: supervisor RSS and heap after GC over ${minutes} min (${runtime.name}; 5 jobs, 1 s http checks, a flapping watch, a crash loop, control traffic)`,
      x: 'time (s)',
      unit: 'MiB',
      lines: [
        { label: `RSS (${runtime.name})`, points: samples.map((s) => [Math.round(s.t), Number(s.rss.toFixed(2))]) },
        { label: 'of which anonymous', points: samples.map((s) => [Math.round(s.t), Number(s.anon.toFixed(2))]) },
        { label: 'heap used after a forced GC', points: samples.filter((s) => Number.isFinite(s.heap)).map((s) => [Math.round(s.t), Number(s.heap.toFixed(2))]) },
      ],
    },
    { title: `Soak: supervisor open file descriptors and processes over ${minutes} min (${runtime.name})`, x: 'time (s)', unit: 'count', lines: [{ label: 'open fds', points: samples.map((s) => [Math.round(s.t), s.fds]) }, { label: 'processes under the supervisor', points: samples.map((s) => [Math.round(s.t), s.descendants]) }] },
  ];
  const loads = stats(samples.map((s) => s.load));
  const moved = smapsDelta(mapsAtHalf, mapsAtEnd);
  const notes = [
    `${minutes} min on ${runtime.name} after ${WARMUP_S} s of warm-up: the hook ran ${last.runs} times for ${last.toggles} changes of the flapping service, the crash-looping job ran ${last.crashes} times, ${last.requests} control requests answered.`,
    `RSS ${mib(rss.start)} at the start, ${mib(rss.end)} at the end; heap after GC ${mib(heap.start)} / ${mib(heap.end)}; open fds ${fds.start} / ${fds.end}; child processes ${children.start} / ${children.end}.`,
    judge('RSS over the second half', rssTrend),
    judge('Anonymous RSS over the second half', anonTrend),
    judge('File-backed RSS over the second half', fileTrend),
    judge('Heap over the second half', heapTrend),
    ...(split ? [judge('Heap without compiled code over the second half', dataTrend), judge('Code and bytecode with metadata (V8) over the second half', codeTrend)] : []),
    broken.length ? `**Broken run:** ${broken.join('; ')}.` : 'No fd or process growth, no zombies left, every hook kept running, every control request answered.',
  ];
  writeResult(NAME, { section: 6, title: `Soak (${runtime.name}): memory, fds and processes under load (flapping watch, crash loop, control traffic)`, command, runtimes: { [runtime.name]: runtimeVersion(runtime.name) }, loadBefore, rows, series, notes, broken });
  const consulVersion = versionOf(findConsulBinary(), ['version']) ?? 'Consul';
  const every = Math.max(1, Math.round(60 / SAMPLE_S));
  writeReport(NAME, [
    '# Soak: memory, file descriptors and processes under steady load',
    '',
    machineLine('soak.mjs', loadBefore) + ` ${consulVersion}, single-server agent on loopback.`,
    '',
    `Command: \`${command}\` (also run by \`npm run bench\`).`,
    '',
    broken.length ? `**Broken run:** ${broken.join('; ')}.` : `Verdict: over the second half, RSS growth ${rssTrend.flat ? 'is zero within noise' : 'is beyond noise'} (anonymous ${anonTrend.flat ? 'zero within noise' : 'beyond noise'}, file-backed ${fileTrend.flat ? 'zero within noise' : 'beyond noise'}) and heap growth ${heapTrend.flat ? 'is zero within noise' : 'is beyond noise'}; no fd or process leak; every hook kept running.`,
    '',
    '| figure | start (median of the first ' + window + ') | end (median of the last ' + window + ') | min / median / max over the run |',
    '|---|---|---|---|',
    `| RSS | ${mib(rss.start)} | ${mib(rss.end)} | ${rss.s.min.toFixed(1)} / ${rss.s.median.toFixed(1)} / ${rss.s.max.toFixed(1)} MiB |`,
    `| of which anonymous (RssAnon) | ${mib(anon.start)} | ${mib(anon.end)} | ${anon.s.min.toFixed(1)} / ${anon.s.median.toFixed(1)} / ${anon.s.max.toFixed(1)} MiB |`,
    `| of which file-backed (RssFile + RssShmem) | ${mib(file.start)} | ${mib(file.end)} | ${file.s.min.toFixed(1)} / ${file.s.median.toFixed(1)} / ${file.s.max.toFixed(1)} MiB |`,
    `| heap used after a forced GC | ${mib(heap.start)} | ${mib(heap.end)} | ${heap.s.min.toFixed(2)} / ${heap.s.median.toFixed(2)} / ${heap.s.max.toFixed(2)} MiB |`,
    ...(split ? [
      `| of which code and bytecode with metadata (V8) | ${mib(code.start)} | ${mib(code.end)} | ${code.s.min.toFixed(2)} / ${code.s.median.toFixed(2)} / ${code.s.max.toFixed(2)} MiB |`,
      `| of which everything else | ${mib(data.start)} | ${mib(data.end)} | ${data.s.min.toFixed(2)} / ${data.s.median.toFixed(2)} / ${data.s.max.toFixed(2)} MiB |`,
      `| V8 heap committed (heapTotal) | ${mib(heapTotal.start)} | ${mib(heapTotal.end)} | ${heapTotal.s.min.toFixed(2)} / ${heapTotal.s.median.toFixed(2)} / ${heapTotal.s.max.toFixed(2)} MiB |`,
      `| memory of buffers outside the heap (external) | ${mib(external.start)} | ${mib(external.end)} | ${external.s.min.toFixed(2)} / ${external.s.median.toFixed(2)} / ${external.s.max.toFixed(2)} MiB |`,
    ] : []),
    `| open fds | ${fds.start} | ${fds.end} | ${fds.s.min} / ${fds.s.median} / ${fds.s.max} |`,
    `| direct child processes | ${children.start} | ${children.end} | ${children.s.min} / ${children.s.median} / ${children.s.max} |`,
    `| all processes under the supervisor | ${desc.start} | ${desc.end} | ${desc.s.min} / ${desc.s.median} / ${desc.s.max} |`,
    '',
    '## Growth over the second half, and how it is judged',
    '',
    `Rule: over the second half of the samples (${rssTrend.n} samples, ${(halfS / 60).toFixed(1)} min), fit a least-squares line to RSS (and to each of its two kinds) and to heap-after-GC against time. The growth is **zero within noise** when the fitted growth over that half, slope x ${(halfS / 60).toFixed(1)} min, is at most the noise band: twice the standard deviation of the residuals around the line (a fall is no growth). The 95% confidence interval of the slope (Student's t, n - 2 degrees of freedom) is printed beside it; it assumes independent residuals, which a collector's sawtooth is not, so it is a second opinion and the band decides.`,
    '',
    `| series | slope | 95% CI of the slope | fitted growth over the half | noise band (2 sigma) | verdict |`,
    '|---|---|---|---|---|---|',
    ...[['RSS', rssTrend], ['anonymous RSS', anonTrend], ['file-backed RSS', fileTrend], ['heap after GC', heapTrend], ...(split ? [['heap after GC without compiled code', dataTrend], ['code and bytecode with metadata (V8)', codeTrend]] : [])].map(([name, tr]) => `| ${name} | ${perMin(tr.slope)} | ${perMin(tr.ciLow)} to ${perMin(tr.ciHigh)} | ${mib(tr.growth)} | ${mib(tr.band)} | ${tr.flat ? verdictOf(tr) : `**${verdictOf(tr)}**`} |`),
    '',
    `Where the second half's RSS moved, by mapping (/proc/<pid>/smaps at the first sample of the second half and at the last; the largest changes, at most 8; anonymous mappings are named by their address range):`,
    '',
    '| mapping | Rss at the half | Rss at the end | change |',
    '|---|---|---|---|',
    ...(moved.length ? moved.map((m) => `| \`${m.key.replace(repoRoot, '')}\` | ${m.before} KiB | ${m.after} KiB | ${m.delta > 0 ? '+' : ''}${m.delta} KiB |`) : ['| (no mapping changed) | | | |']),
    '',
    `The run is marked broken (exit 1) only on: open fds whose minimum over the last ${window} exceeds their maximum over the first, the same for the processes under the supervisor, a zombie in every one of the last ${k} samples, the watch hook losing changes, the heap hook going silent, the crash loop not running, a control request failing. RSS and heap beyond noise are reported (REPORT.md: goal not met), not a broken run: a busy machine moves them.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| runtime | ${runtime.name} (${runtimeVersion(runtime.name)}) |`,
    `| duration (after ${WARMUP_S} s warm-up) | ${minutes} min, ${samples.length} samples |`,
    `| changes of the flapping service / watch hook runs | ${last.toggles} / ${last.runs} |`,
    `| crash-loop runs (exit 1 after 0.5 s, restarts unlimited, back-off up to 10 s) | ${last.crashes} (${(last.crashes / (last.t / 60)).toFixed(1)} a minute) |`,
    `| control requests answered (putenv, putmetric, status, ping, maintenance on+off every ${MAINT_EVERY}) / failed | ${last.requests} (${Object.entries(requests).map(([kk, v]) => `${kk} ${v}`).join(', ')}, warm-up included) / ${controlErrors.length} |`,
    `| 1-minute load average during the run (min / median / max) | ${loads.min.toFixed(2)} / ${loads.median.toFixed(2)} / ${loads.max.toFixed(2)} (2 cores shared with other work) |`,
    '',
    '| t (s) | RSS (MiB) | anonymous (MiB) | heap after GC (MiB) | of which code (MiB) | open fds | children | processes | zombies | hook runs | changes | crash-loop runs | control requests | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...samples.filter((_, i) => i % every === 0 || i === samples.length - 1).map((s) => `| ${s.t.toFixed(0)} | ${s.rss.toFixed(1)} | ${s.anon.toFixed(1)} | ${Number.isFinite(s.heap) ? s.heap.toFixed(2) : 'n/a'} | ${Number.isFinite(s.code) ? s.code.toFixed(2) : 'n/a'} | ${s.fds} | ${s.children} | ${s.descendants} | ${s.zombies} | ${s.runs} | ${s.toggles} | ${s.crashes} | ${s.requests} | ${s.load.toFixed(2)} |`),
    '',
    '## Method',
    '',
    `- A real Consul agent and a real \`autopilot run\` (${runtime.argv.map((a) => a.replace(repoRoot, '')).join(' ')} run --config ...) with the load of bench/cost.mjs: ${JOBS} jobs (\`sleep\`s advertised in Consul, TTL 5 s) each with a built-in \`http\` health check every 1 s against a tiny HTTP server in the benchmark process; plus \`watches: [{ name: "${SERVICE}", interval: 5 }]\` with a hook job \`{ exec: ["sh", "-c", "echo run >> <file>"], when: { source: "watch.${SERVICE}", each: "changed" } }\`, a crash-looping job \`{ exec: ["sh", "-c", "echo run >> <file>; sleep 0.5; exit 1"], restarts: "unlimited" }\` and telemetry on loopback with one counter.`,
    `- The flapper: every ${FLAP_MS} ms the benchmark registers (\`PUT /v1/agent/service/register\`, no checks, so passing at once) or deregisters one instance of \`${SERVICE}\`: each is a change of the watched set, so the hook forks once a second.`,
    `- Control traffic: one request every ${CONTROL_MS} ms over the control socket (the project's ControlClient): \`POST /v3/environ\` (one variable, a new value each time), \`POST /v3/metric\`, \`GET /v3/status\`, \`GET /v3/ping\` in turn, and every ${MAINT_EVERY}th slot maintenance enabled then disabled ${CONTROL_MS} ms later. Every answer must be 2xx.`,
    `- Heap after GC: the supervisor runs with \`AUTOPILOT_BENCH_HEAP=<file>\` (a benchmark hook, off by default, cli/commands/heap-probe.ts): every 5 s it forces a full collection (\`Bun.gc(true)\` in the binary and Bun; \`gc()\` on Node, started with \`--expose-gc\`) and appends \`process.memoryUsage().heapUsed\` and, where V8 reports it (Node, Deno), its code and bytecode with their metadata (\`v8.getHeapCodeStatistics()\`: code_and_metadata_size + bytecode_and_metadata_size), heapTotal and external. So the heap figure has no garbage in it, and a leak shows as growth.`,
    `- Sampling every ${SAMPLE_S} s of the supervisor process: VmRSS and its anonymous (RssAnon) and file-backed (RssFile, RssShmem) parts (/proc/<pid>/status), open file descriptors (entries of /proc/<pid>/fd), direct children and all descendants (the 5 jobs plus the crash loop's \`sh\` and \`sleep\` and any hook running at that instant), zombies among them, the hooks' run counts (lines they appended), the 1-minute load average.`,
    '',
  ]);
  if (broken.length) {
    process.stderr.write(`bench: soak broken: ${broken.join('; ')}\n`);
    process.exitCode = 1;
  }
} finally {
  running = false;
  await flapper?.catch(() => undefined);
  await controller?.catch(() => undefined);
  await sup?.stop();
  await svc?.close();
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
}
