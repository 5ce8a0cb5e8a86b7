// Soak: the load of bench/cost.mjs (5 jobs, 1 s built-in http health checks, registered in a real
// Consul agent) for N minutes, plus a watch whose service flaps every second (this benchmark
// registers and deregisters an instance in Consul) with an `each: changed` hook job. Samples the
// supervisor's RSS, open file descriptors and child processes, and counts the hook's runs.
// Section 6 of REPORT.md: no growth beyond noise, no fd leak, the hook keeps running.
//   node bench/soak.mjs [--smoke] [--minutes N] [--runtime node|bun|deno|binary]
// Needs dist/ (`npm run build`) and the Consul binary (the binary runtime: `npm run build:binary`).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, fdCount, JOBS, jobsConfig, ppidOf, rssKiB, runtimeVersion, startServices, startSupervisor, waitPassing } from './cost.mjs';
import { machineLine, numberFlag, repoRoot, row, sleep, smoke, stats, versionOf, writeReport, writeResult } from './lib/report.mjs';

const { startConsulAgent, consulPut, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));
const { cliRuntime } = await import(join(repoRoot, 'dist', 'testing', 'runtimes.js'));

const MINUTES = numberFlag('minutes', 10);
const DURATION_S = smoke ? 20 : MINUTES * 60;
const WARMUP_S = smoke ? 3 : 30;
const SAMPLE_S = smoke ? 2 : 5;
const FLAP_MS = 1000;
const SERVICE = 'soak-flapper';
const ri = process.argv.indexOf('--runtime');
const runtime = cliRuntime(ri > 0 ? process.argv[ri + 1] : 'node');

const loadBefore = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-soak-'));
const runs = join(dir, 'hook-runs');
// Ctrl-C ends this process through process.exit() (the Consul helper's handler): no finally runs.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const hookRuns = () => (existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').filter((l) => l !== '').length : 0);
/** Direct children of `pid` (the jobs, a check or hook running at that instant). */
const childCount = (pid) => descendants(pid).filter((p) => { try { return ppidOf(p) === pid; } catch { return false; } }).length;

let agent;
let svc;
let sup;
let flapping = false;
let flapper;
/** From --trace-gc (Node): V8 heap used after the last collection (MB), full collections so far. */
const gc = { heapAfter: NaN, full: 0 };
try {
  agent = await startConsulAgent();
  svc = await startServices(JOBS);
  const socket = join(dir, 'cp.sock');
  const config = join(dir, 'containerpilot.json5');
  writeFileSync(config, [
    '{',
    `  consul: "${agent.address}",`,
    `  control: { socket: "${socket}" },`,
    '  jobs: [',
    ...jobsConfig('soak', svc.services, 'http'),
    `    { name: "on-change", exec: ["sh", "-c", "echo run >> ${runs}"], when: { source: "watch.${SERVICE}", each: "changed" } },`,
    '  ],',
    `  watches: [ { name: "${SERVICE}", interval: 5 } ],`,
    '}',
    '',
  ].join('\n'));
  // On Node, --trace-gc shows the V8 heap after each collection and when the first full
  // (mark-compact) collection comes: RSS grows until then, so this separates a leak from garbage
  // the collector has not reclaimed yet.
  const traceGc = runtime.name === 'node';
  let pending = '';
  sup = await startSupervisor(runtime, config, socket, {
    nodeFlags: traceGc ? ['--trace-gc'] : [],
    onOutput: (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /(Mark-Compact|Scavenge)[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/.exec(line);
        if (!m) continue;
        gc.heapAfter = Number(m[4]);
        if (m[1] === 'Mark-Compact') gc.full++;
      }
    },
  });
  await waitPassing(agent, svc.services.map((_, i) => `soak-${i + 1}`), sup);

  // The flapper: one instance of the watched service, registered then deregistered, one change a second.
  let toggles = 0;
  let flapErrors = 0;
  flapping = true;
  const flapT0 = performance.now();
  flapper = (async () => {
    const t0 = flapT0;
    for (let i = 1; flapping; i++) {
      try {
        if (i % 2) await consulPut(agent, '/v1/agent/service/register', { Name: SERVICE, ID: `${SERVICE}-1`, Address: '127.0.0.1', Port: 9999 });
        else await consulPut(agent, `/v1/agent/service/deregister/${SERVICE}-1`);
        toggles++;
      } catch {
        flapErrors++;
      }
      await sleep(Math.max(0, t0 + i * FLAP_MS - performance.now()));
    }
  })();

  process.stderr.write(`bench: soak, ${runtime.name}, ${WARMUP_S} s warm-up + ${DURATION_S} s, a sample every ${SAMPLE_S} s\n`);
  await sleep(WARMUP_S * 1000);
  // Start half-way between two changes, so no hook run is in flight when the counts are taken.
  await sleep(FLAP_MS - ((performance.now() - flapT0 + FLAP_MS / 2) % FLAP_MS));
  const samples = [];
  const togglesAtStart = toggles;
  const runsAtStart = hookRuns();
  const t0 = performance.now();
  for (let i = 0; i <= DURATION_S / SAMPLE_S; i++) {
    await sleep(Math.max(0, t0 + i * SAMPLE_S * 1000 - performance.now()));
    if (!sup.running()) throw new Error(`the supervisor exited during the soak; output:\n${sup.output().slice(-4000)}`);
    const s = { t: (performance.now() - t0) / 1000, rss: rssKiB(sup.pid) / 1024, fds: fdCount(sup.pid), children: childCount(sup.pid), runs: hookRuns() - runsAtStart, toggles: toggles - togglesAtStart, heap: gc.heapAfter, fullGcs: gc.full };
    samples.push(s);
    if (!smoke && i % 12 === 0) process.stderr.write(`bench: soak t=${s.t.toFixed(0)} s rss=${s.rss.toFixed(1)} MiB heap=${s.heap} MB (full GCs ${s.fullGcs}) fds=${s.fds} children=${s.children} hook runs=${s.runs}/${s.toggles} changes\n`);
  }
  flapping = false;
  await flapper;
  const last = samples[samples.length - 1];
  // The hook must keep up: one run per change (a change arriving while the hook runs is coalesced
  // into one more run, so a few may merge; none may be lost for good).
  if (last.runs < 0.9 * last.toggles - 2 || last.runs > last.toggles + 2) {
    throw new Error(`the hook ran ${last.runs} times for ${last.toggles} changes; supervisor output:\n${sup.output().slice(-4000)}`);
  }
  if (flapErrors > 0) throw new Error(`${flapErrors} Consul calls of the flapper failed`);
  await waitPassing(agent, svc.services.map((_, i) => `soak-${i + 1}`), sup, 5000);

  // Start and end: the median of the first and of the last minute of samples (one sample is
  // whatever the garbage collector left at that instant).
  const k = Math.max(1, Math.min(Math.floor(60 / SAMPLE_S), Math.floor(samples.length / 3)));
  const head = samples.slice(0, k);
  const tail = samples.slice(-k);
  const med = (xs) => stats(xs).median;
  const rssStart = med(head.map((s) => s.rss));
  const rssEnd = med(tail.map((s) => s.rss));
  const fdsStart = med(head.map((s) => s.fds));
  const fdsEnd = med(tail.map((s) => s.fds));
  // The same over the second half alone: warm-up effects (JIT, the heap settling) show in the
  // first half only, a leak in both.
  const mid = samples.slice(Math.floor(samples.length / 2) - Math.floor(k / 2)).slice(0, k);
  const rssMid = med(mid.map((s) => s.rss));
  const rss = stats(samples.map((s) => s.rss));
  const fds = stats(samples.map((s) => s.fds));
  const children = stats(samples.map((s) => s.children));
  const minutes = (last.t / 60).toFixed(1);
  const flags = process.argv.slice(2).join(' ');
  const command = `node bench/soak.mjs${flags ? ` ${flags}` : ''}`;
  const window = `${k} samples (${k * SAMPLE_S} s)`;
  const rows = [
    row(`RSS, supervisor (${runtime.name}), every ${SAMPLE_S} s over ${minutes} min`, 'MiB', samples.map((s) => s.rss)),
    row(`RSS growth, end - start (median of the first and last ${window})`, 'MiB', [rssEnd - rssStart], { text: '<= 5 MiB (noise)', stat: 'max', limit: 5, better: 'lower' }),
    row(`RSS growth over the second half, end - middle (median of ${window} each)`, 'MiB', [rssEnd - rssMid]),
    row(`Open fds, supervisor, every ${SAMPLE_S} s`, 'fds', samples.map((s) => s.fds)),
    row(`Open fds growth, end - start (median of the first and last ${window})`, 'fds', [fdsEnd - fdsStart], { text: '<= 0 (no leak)', stat: 'max', limit: 0, better: 'lower' }),
    row(`Child processes, every ${SAMPLE_S} s`, 'processes', samples.map((s) => s.children)),
  ];
  const series = [
    {
      title: `Soak: supervisor RSS over ${minutes} min (${runtime.name}, 5 jobs, 1 s http checks, a watch flapping every second)`,
      x: 'time (s)',
      unit: 'MiB',
      lines: [
        { label: `RSS (${runtime.name})`, points: samples.map((s) => [Math.round(s.t), Number(s.rss.toFixed(2))]) },
        ...(traceGc ? [{ label: 'V8 heap used after the last GC (--trace-gc)', points: samples.filter((s) => Number.isFinite(s.heap)).map((s) => [Math.round(s.t), s.heap]) }] : []),
      ],
    },
    { title: `Soak: supervisor open file descriptors over ${minutes} min (${runtime.name})`, x: 'time (s)', unit: 'fds', lines: [{ label: `open fds (${runtime.name})`, points: samples.map((s) => [Math.round(s.t), s.fds]) }] },
  ];
  const notes = [
    `${minutes} min after ${WARMUP_S} s of warm-up; the hook ran ${last.runs} times for ${last.toggles} changes of the flapping service.`,
    `RSS ${rssStart.toFixed(1)} MiB at the start, ${rssMid.toFixed(1)} MiB half-way, ${rssEnd.toFixed(1)} MiB at the end (growth ${(rssEnd - rssStart).toFixed(1)} MiB, ${(rssEnd - rssMid).toFixed(1)} MiB over the second half), max ${rss.max.toFixed(1)} MiB; open fds ${fdsStart} at the start, ${fdsEnd} at the end, max ${fds.max}.`,
  ];
  writeResult('soak', { section: 6, title: 'Soak: RSS and open fds under load with a flapping watch', command, runtimes: { [runtime.name]: runtimeVersion(runtime.name) }, loadBefore, rows, series, notes });
  const consulVersion = versionOf(findConsulBinary(), ['version']) ?? 'Consul';
  writeReport('soak', [
    '# Soak: memory and file descriptors under steady load with a flapping watch',
    '',
    machineLine('soak.mjs', loadBefore) + ` ${consulVersion}, single-server agent on loopback.`,
    '',
    `Command: \`${command}\` (also run by \`npm run bench\`).`,
    '',
    '| figure | value |',
    '|---|---|',
    `| runtime | ${runtime.name} (${runtimeVersion(runtime.name)}) |`,
    `| duration (after ${WARMUP_S} s warm-up) | ${minutes} min, ${samples.length} samples |`,
    `| RSS at the start / end (median of the first / last ${window}) | ${rssStart.toFixed(1)} MiB / ${rssEnd.toFixed(1)} MiB |`,
    `| RSS growth | ${(rssEnd - rssStart).toFixed(1)} MiB |`,
    `| RSS in the middle (${window} around half-time) / growth over the second half | ${rssMid.toFixed(1)} MiB / ${(rssEnd - rssMid).toFixed(1)} MiB |`,
    `| RSS min / median / max | ${rss.min.toFixed(1)} / ${rss.median.toFixed(1)} / ${rss.max.toFixed(1)} MiB |`,
    `| open fds at the start / end (same windows) | ${fdsStart} / ${fdsEnd} |`,
    `| open fds min / max | ${fds.min} / ${fds.max} |`,
    `| child processes min / median / max | ${children.min} / ${children.median} / ${children.max} |`,
    `| changes of the flapping service / hook runs | ${last.toggles} / ${last.runs} |`,
    ...(traceGc ? [`| V8 heap used after the last GC at the start / end; full (mark-compact) collections during the run | ${samples[0].heap} MB / ${last.heap} MB; ${last.fullGcs - samples[0].fullGcs} |`] : []),
    '',
    '| t (s) | RSS (MiB) | V8 heap after last GC (MB) | full GCs | open fds | children | hook runs | changes |',
    '|---|---|---|---|---|---|---|---|',
    ...samples.filter((_, i) => i % Math.max(1, Math.round(60 / SAMPLE_S)) === 0 || i === samples.length - 1).map((s) => `| ${s.t.toFixed(0)} | ${s.rss.toFixed(1)} | ${Number.isFinite(s.heap) ? s.heap : 'n/a'} | ${traceGc ? s.fullGcs : 'n/a'} | ${s.fds} | ${s.children} | ${s.runs} | ${s.toggles} |`),
    '',
    'Goals: no RSS growth beyond noise (end - start at most 5 MiB: the garbage collector alone moves RSS by a few MiB), no fd leak (end - start at most 0), and the hook runs once per change all along.',
    '',
    '## Method',
    '',
    `- A real Consul agent and a real \`autopilot run\` (${runtime.argv.map((a) => a.replace(repoRoot, '')).join(' ')} run --config ...) with the load of bench/cost.mjs: ${JOBS} jobs (\`sleep\`s advertised in Consul, TTL 5 s) each with a built-in \`http\` health check every 1 s against a tiny HTTP server in the benchmark process; plus \`watches: [{ name: "${SERVICE}", interval: 5 }]\` and a hook job \`{ exec: ["sh", "-c", "echo run >> <file>"], when: { source: "watch.${SERVICE}", each: "changed" } }\`.`,
    `- The flapper: every ${FLAP_MS} ms the benchmark registers (\`PUT /v1/agent/service/register\`, no checks, so passing at once) or deregisters one instance of \`${SERVICE}\`: each is a change of the watched set, so the hook forks once a second.`,
    `- Sampling every ${SAMPLE_S} s of the supervisor process: VmRSS (/proc/<pid>/status), open file descriptors (entries of /proc/<pid>/fd), direct child processes (the 5 jobs plus any hook running at that instant), the hook's run count (lines it appended). Start and end are the medians of the first and last ${window}, so one GC cycle does not decide the growth figure.`,
    '- On Node the supervisor runs with `--trace-gc` (its stdout, parsed): the V8 heap used after each collection and the count of full (mark-compact) collections. V8 postpones the first full collection while the heap is small, so RSS climbs until it comes; growth that continues after full collections is what a leak looks like. Bun and Deno print no such trace.',
    '- The run fails if the supervisor exits, if a service stops passing in Consul, or if the hook ran less than 90% (or more than 100%, plus 2) of the changes.',
    '',
  ]);
} finally {
  flapping = false;
  await flapper?.catch(() => undefined);
  await sup?.stop();
  await svc?.close();
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
}
