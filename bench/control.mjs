// Control plane: `POST /v3/metric` (what `-putmetric` sends) against the unix control socket of a
// real `autopilot run` (Node and the single-file binary as the supervisor). Raw HTTP from this
// process with and without keep-alive at concurrency 1 and 16, then the whole `autopilot
// -putmetric name=1` process, one after another, on every runtime. Every put adds 1 to a counter
// declared in `telemetry.metrics`; at the end /metrics must show exactly the number of puts that
// were answered 200. Loopback only; writes results/control.json and report-control.md.
//   node bench/control.mjs [--smoke] [--runs N] [--requests N] [--cli N]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineLine, ms, numberFlag, repoRoot, row, sleep, smoke, stats, versionOf, writeReport, writeResult } from './lib/report.mjs';

const { cliRuntime } = await import(join(repoRoot, 'dist', 'testing', 'runtimes.js'));

const RUNS = numberFlag('runs', 20, 3);
const REQUESTS = numberFlag('requests', 2000, 200);
const CLI_SAMPLES = numberFlag('cli', 100, 5);
const CONCURRENCY = [1, 16];
const METRIC = 'bench_puts_total';
const REQUEST_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 20_000;
const SUPERVISORS = ['node', 'binary'];
const CLIENTS = ['node', 'bun', 'deno', 'binary'];

const loadBefore = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-control-'));
const children = new Set();
// Ctrl-C: no supervisor or client left behind, no temp dir.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}

/** CPU time (user + system) `pid` has used so far, in ms (clock ticks of /proc/<pid>/stat). */
const TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One `POST /v3/metric {"bench_puts_total": 1}`; resolves { status, ms, socket }. */
function putOnce(socketPath, agent) {
  const body = `{"${METRIC}":1}`;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let socket;
    const req = request(
      { socketPath, method: 'POST', path: '/v3/metric', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, socket }));
        res.once('error', reject);
      },
    );
    req.once('socket', (s) => (socket = s));
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.once('error', reject);
    req.end(body);
  });
}

/** One run: REQUESTS puts by `concurrency` workers; resolves throughput, latencies, connections. */
async function httpRun(socketPath, concurrency, keepAlive) {
  const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: concurrency }) : false;
  const latencies = [];
  const sockets = new Set();
  let next = 0;
  let ok = 0;
  const failures = [];
  const worker = async () => {
    while (next < REQUESTS) {
      next++;
      try {
        const r = await putOnce(socketPath, agent);
        sockets.add(r.socket);
        if (r.status === 200) {
          ok++;
          latencies.push(r.ms);
        } else failures.push(`HTTP ${r.status}`);
      } catch (err) {
        failures.push(err.message);
      }
    }
  };
  const t0 = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (agent) agent.destroy();
  }
  const elapsed = performance.now() - t0;
  return { rps: (ok / elapsed) * 1000, latencies, ok, failures, connections: sockets.size };
}

/** Runs `argv` to completion (killed after CLI_TIMEOUT_MS); resolves { code, ms, stderr }. */
function timedProcess(argv, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
    children.add(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const elapsed = performance.now() - t0;
      clearTimeout(timer);
      children.delete(child);
      resolve({ code: code ?? signal, ms: elapsed, stderr });
    });
  });
}

/** The supervisor under test, with a counter metric, telemetry on loopback and the control socket. */
async function startSupervisor(name) {
  const sub = mkdtempSync(join(dir, `${name}-`));
  const socket = join(sub, 'cp.sock');
  const config = join(sub, 'containerpilot.json5');
  const port = await freePort();
  writeFileSync(config, `{
  control: { socket: "${socket}" },
  telemetry: { port: ${port}, interfaces: ["static:127.0.0.1"],
    metrics: [{ namespace: "bench", subsystem: "", name: "puts_total", help: "puts by the benchmark", type: "counter" }] },
  jobs: [ { name: "app", exec: ["sleep", "3600"] } ],
}\n`);
  const rt = cliRuntime(name);
  const child = spawn(rt.argv[0], [...rt.argv.slice(1), 'run', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CONTAINERPILOT: '', NO_COLOR: '1' } });
  children.add(child);
  let output = '';
  const keep = (d) => (output = (output + d.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  for (let i = 0; i < 200 && !existsSync(socket); i++) await sleep(50);
  if (!existsSync(socket)) throw new Error(`${name} supervisor: the control socket never appeared; output:\n${output}`);
  const metrics = async () => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (re) => Number(re.exec(text)?.[1] ?? NaN);
    return { puts: value(new RegExp(`^${METRIC} (\\S+)$`, 'm')), requests200: value(/^containerpilot_control_http_requests\{code="200",path="\/v3\/metric"\} (\S+)$/m) };
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
      clearTimeout(killer);
    }
    children.delete(child);
  };
  return { name, pid: child.pid, socket, config, metrics, stop, output: () => output };
}

const rows = [];
const detail = [];
const checks = [];
const cliRows = [];
const tag = (keepAlive) => (keepAlive ? 'keep-alive' : 'new connection per request');

async function benchSupervisor(name) {
  const sup = await startSupervisor(name);
  let puts = 0;
  try {
    // Warm-up (JIT, first connections), counted in the metric check but not in the figures.
    const warm = await httpRun(sup.socket, 4, false);
    if (warm.failures.length) throw new Error(`${name} warm-up failed: ${warm.failures[0]}`);
    puts += warm.ok;
    // The cases take turns run by run, so a drift (JIT, other load) spreads over all of them.
    const cases = [false, true].flatMap((keepAlive) => CONCURRENCY.map((c) => ({ keepAlive, c, rps: [], lat: [], connections: [], cpuMs: 0, puts: 0 })));
    process.stderr.write(`bench: control, ${name} supervisor, ${cases.length} cases x ${RUNS} runs x ${REQUESTS} puts\n`);
    for (let i = 0; i < RUNS; i++) {
      for (const k of cases) {
        const cpu0 = cpuMs(sup.pid);
        const r = await httpRun(sup.socket, k.c, k.keepAlive);
        k.cpuMs += cpuMs(sup.pid) - cpu0;
        if (r.failures.length) throw new Error(`${name}, ${tag(k.keepAlive)}, concurrency ${k.c}: ${r.failures.length} of ${REQUESTS} puts failed, first: ${r.failures[0]}\n${sup.output().slice(-2000)}`);
        puts += r.ok;
        k.puts += r.ok;
        k.rps.push(r.rps);
        for (const x of r.latencies) k.lat.push(x);
        k.connections.push(r.connections);
      }
    }
    for (const k of cases) {
      const label = `${name} supervisor, HTTP ${k.keepAlive ? 'keep-alive' : 'no keep-alive'}, concurrency ${k.c}`;
      rows.push(row(`${label}: throughput`, 'req/s', k.rps));
      rows.push(row(`${label}: latency per put`, 'ms', k.lat));
      detail.push({ label, rps: stats(k.rps), lat: stats(k.lat), connections: stats(k.connections), cpuUs: (k.cpuMs * 1000) / k.puts });
    }
    if (name === 'node') {
      // The client processes talk to this supervisor. `-putmetric`: CONTAINERPILOT names the
      // config, as in a container, so the argv is exactly ContainerPilot's and the client reads
      // the config to find the socket. `ctl putmetric --socket`: the same put without the config.
      const env = { ...process.env, CONTAINERPILOT: `file://${sup.config}`, NO_COLOR: '1' };
      const variants = CLIENTS.flatMap((client) => {
        const rt = cliRuntime(client);
        const shown = client === 'binary' ? 'dist/bin/autopilot-linux-x64' : rt.argv.map((a) => a.replace(repoRoot, '').replace(process.execPath, 'node')).join(' ');
        return [
          { client, legacy: true, argv: [...rt.argv, '-putmetric', `${METRIC}=1`], shown: `${shown} -putmetric ${METRIC}=1`, times: [] },
          { client, legacy: false, argv: [...rt.argv, 'ctl', 'putmetric', `${METRIC}=1`, '--socket', sup.socket], shown: `${shown} ctl putmetric ${METRIC}=1 --socket <socket>`, times: [] },
        ];
      });
      process.stderr.write(`bench: control, ${CLI_SAMPLES} invocations x ${variants.length} client commands\n`);
      // One warm-up round (page cache, Deno's module cache), then the commands take turns.
      for (let i = -1; i < CLI_SAMPLES; i++) {
        for (const v of variants) {
          const r = await timedProcess(v.argv, env);
          if (r.code !== 0) throw new Error(`${v.shown} exited ${r.code}: ${r.stderr}`);
          puts++;
          if (i >= 0) v.times.push(r.ms);
        }
      }
      for (const v of variants) {
        if (v.legacy) rows.push(row(`\`autopilot -putmetric\` process on ${v.client}: wall time`, 'ms', v.times));
        const st = stats(v.times);
        cliRows.push({ client: v.client, s: st, perSecond: 1000 / st.median, argv: v.shown });
      }
    }
    const seen = await sup.metrics();
    checks.push({ name, puts, seen });
    if (seen.puts !== puts || seen.requests200 !== puts) {
      throw new Error(`${name} supervisor: ${puts} puts answered 200, but /metrics shows ${METRIC} ${seen.puts} and ${seen.requests200} answered /v3/metric requests`);
    }
  } finally {
    await sup.stop();
  }
}

try {
  for (const name of SUPERVISORS) await benchSupervisor(name);

  const f = (x) => Math.round(x).toLocaleString('en-US');
  const bunVersion = versionOf(join(repoRoot, 'node_modules', '.bin', 'bun'));
  const denoVersion = versionOf(join(repoRoot, 'node_modules', '.bin', 'deno'));
  const command = `node bench/control.mjs${smoke ? ' --smoke' : ''}`;
  writeResult('control', {
    section: 7,
    title: 'Control plane: -putmetric over the unix socket',
    command,
    runtimes: { node: process.version, bun: bunVersion, deno: denoVersion, binary: `bun ${bunVersion} (compiled)` },
    loadBefore,
    rows,
    notes: [
      `Throughput rows: puts answered per second in each run of ${REQUESTS} puts, median and p99 (nearest rank, the fast end) over ${RUNS} runs; the slowest run is \`min\`. Latency rows: every put of every run, request sent -> answer read.`,
      `Correctness: /metrics showed ${METRIC} equal to the puts answered 200 (${checks.map((c) => `${c.name}: ${f(c.puts)}`).join(', ')}).`,
    ],
  });

  writeReport('control', [
    '# Control plane: `-putmetric` over the unix socket',
    '',
    machineLine('control.mjs', loadBefore) + ` Bun ${bunVersion}, ${denoVersion}.`,
    '',
    `Command: \`${command}\`${smoke ? ' (smoke: short counts, figures mean little)' : ''}.`,
    '',
    '## Raw HTTP: `POST /v3/metric` from the benchmark process',
    '',
    `${RUNS} runs of ${REQUESTS} puts per case. Throughput: puts answered per second in one run (median over runs; min = the slowest run). Latency: one put, request sent -> whole answer read (median and p99 over all ${f(RUNS * REQUESTS)} puts of the case).`,
    '',
    '| supervisor, connections, concurrency | req/s median | req/s min | req/s max | latency median | latency p99 | connections per run | supervisor CPU per put |',
    '|---|---|---|---|---|---|---|---|',
    ...detail.map((d) => `| ${d.label} | ${f(d.rps.median)} | ${f(d.rps.min)} | ${f(d.rps.max)} | ${ms(d.lat.median)} | ${ms(d.lat.p99)} | ${f(d.connections.median)} | ${d.cpuUs.toFixed(0)} µs |`),
    '',
    '## The `-putmetric` command, one process after another',
    '',
    `${CLI_SAMPLES} invocations of each command (after one warm-up round; the commands take turns), each waited for before the next, against the Node supervisor. Wall time: spawn -> the process exited (the put answered). \`-putmetric\` finds the socket by reading the config named by \`CONTAINERPILOT\`; \`ctl putmetric --socket\` is the same put without reading the config, so the difference is the cost of loading the config.`,
    '',
    '| client | command | median | p99 | max | puts/s one after another (1000 / median) |',
    '|---|---|---|---|---|---|',
    ...cliRows.map((c) => `| ${c.client} | \`${c.argv}\` | ${ms(c.s.median)} | ${ms(c.s.p99)} | ${ms(c.s.max)} | ${c.perSecond.toFixed(1)} |`),
    '',
    '## Correctness',
    '',
    ...checks.map((c) => `- ${c.name} supervisor: ${f(c.puts)} puts answered 200 (warm-ups included); /metrics afterwards: \`${METRIC} ${c.seen.puts}\`, \`containerpilot_control_http_requests{code="200",path="/v3/metric"} ${c.seen.requests200}\`. Any failed put or any difference stops the benchmark with an error.`),
    '',
    '## Method',
    '',
    `- The supervisor is a real \`autopilot run\` (\`node dist/cli/index.js run\`, and \`dist/bin/autopilot-linux-x64 run\`) with one job (\`sleep 3600\`), the control socket in a temp dir and telemetry on 127.0.0.1 declaring the counter \`${METRIC}\`; no Consul.`,
    `- Raw HTTP: node:http from the benchmark process over the unix socket, body \`{"${METRIC}":1}\`; \`concurrency\` workers each send their next put as soon as the previous one is answered, until the run's ${REQUESTS} are sent. "keep-alive" uses an \`http.Agent({ keepAlive: true, maxSockets: concurrency })\`; "no keep-alive" opens a connection per put (\`agent: false\`). The connections column counts the sockets a run actually used, so it shows whether the server kept them open.`,
    '- The four cases take turns run by run (run 1 of each, then run 2 of each, ...), after one warm-up run at concurrency 4 that is not counted. The benchmark process and the supervisor share the machine\'s cores, so the client\'s own cost is inside every throughput and latency figure.',
    '- Supervisor CPU per put: user + system CPU time of the supervisor process (/proc/<pid>/stat, clock ticks) over all runs of the case, divided by its puts: the server\'s own cost without the client\'s; one core divided by it bounds what the server alone could answer.',
    '- The server answers every request with `Connection: close` (the control plane does not keep connections alive, as documented in supervisor/control/README.md), so a keep-alive client still opens one connection per put: the connections column shows it, and the two connection rows differ only in the client\'s own agent handling.',
    '- CLI: `CONTAINERPILOT=file://<config>` is set, as in a container, so the command is exactly ContainerPilot\'s `-putmetric name=value`; the time includes the runtime\'s start, reading the config to find the socket, the request and the exit.',
    '',
  ]);
} finally {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
