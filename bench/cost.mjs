// Cost: what a steady `autopilot run` costs while it supervises 5 services with a 1 s health check
// each, registered in a real Consul agent (TTL heartbeats): CPU as % of one core and RSS, on
// Node, Bun, Deno and the single-file binary, with exec checks (`curl -fsS`, what ContainerPilot
// users write) and with the built-in `health: { http }` check (no fork). Section 5 of REPORT.md.
// The five services' HTTP endpoints are served by this benchmark process (the jobs are `sleep`s),
// so the applications' own CPU never lands in the supervisor's process tree.
//   node bench/cost.mjs [--smoke] [--seconds N] [--warmup N] [--runtimes node,bun,deno,binary]
// Needs dist/ (`npm run build`), the binary (`npm run build:binary`), curl and the Consul binary.
// The helpers below are shared with bench/soak.mjs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, numberFlag, repoRoot, row, sleep, smoke, stats, versionOf, writeReport, writeResult } from './lib/report.mjs';

const { startConsulAgent, consulGet, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));
const { cliRuntime } = await import(join(repoRoot, 'dist', 'testing', 'runtimes.js'));

export const JOBS = 5;
/** Kernel clock ticks per second (utime/stime unit); 100 on every Linux this runs on. */
const CLK_TCK = 100;

/** utime+stime (the process itself) and cutime+cstime (children it waited for), in seconds. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  return { self: (Number(f[11]) + Number(f[12])) / CLK_TCK, children: (Number(f[13]) + Number(f[14])) / CLK_TCK };
}

export function ppidOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** VmRSS in KiB (0 once the process is gone). */
export function rssKiB(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * VmRSS split as the kernel counts it (KiB, zeros once the process is gone): anonymous pages
 * (heap, stacks, malloc: where a leak lives) and file-backed ones (the executable and libraries,
 * mapped in as code paths are first used; shared with every process that maps the same file).
 */
export function rssParts(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kib('VmRSS'), anon: kib('RssAnon'), file: kib('RssFile') + kib('RssShmem') };
  } catch {
    return { rss: 0, anon: 0, file: 0 };
  }
}

export const fdCount = (pid) => readdirSync(`/proc/${pid}/fd`).length;

/** `root`'s descendants (not `root` itself), from one scan of /proc. */
export function descendants(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = ppidOf(name);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const out = [];
  const walk = (pid) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** `n` HTTP servers on loopback answering 200 with an empty body (curl -fsS prints nothing); each counts its requests. */
export async function startServices(n) {
  const services = [];
  for (let i = 0; i < n; i++) {
    const svc = { requests: 0, port: 0, server: undefined };
    svc.server = createServer((req, res) => {
      svc.requests++;
      res.writeHead(200, { 'Content-Length': '0' });
      res.end();
    });
    await new Promise((resolve, reject) => {
      svc.server.once('error', reject);
      svc.server.listen(0, '127.0.0.1', resolve);
    });
    svc.port = svc.server.address().port;
    services.push(svc);
  }
  return {
    services,
    close: () => Promise.all(services.map((s) => new Promise((r) => { s.server.closeAllConnections?.(); s.server.close(() => r()); }))),
  };
}

/** The five jobs: `sleep`s advertised on the services' ports, checked every second by `kind`. */
export function jobsConfig(prefix, services, kind) {
  return services.map((s, i) => {
    const url = `http://127.0.0.1:${s.port}/`;
    const check = kind === 'exec' ? `exec: ["curl", "-fsS", "${url}"]` : `http: "${url}"`;
    return `    { name: "${prefix}-${i + 1}", exec: ["sleep", "86400"], port: ${s.port}, interfaces: ["static:127.0.0.1"], health: { ${check}, interval: 1, ttl: 5 } },`;
  });
}

/**
 * Starts `autopilot run --config <config>` on `runtime`, waits for its control socket; the
 * returned handle keeps the output's tail and stops it (SIGTERM, SIGKILL after 10 s).
 * `nodeFlags` go before the script (Node only); `onOutput` sees every chunk of output.
 */
export async function startSupervisor(runtime, config, socket, { nodeFlags = [], onOutput } = {}) {
  const child = spawn(runtime.argv[0], [...nodeFlags, ...runtime.argv.slice(1), 'run', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CONTAINERPILOT: '', NO_COLOR: '1' },
  });
  let output = '';
  const keep = (d) => {
    output = (output + d.toString()).slice(-20_000);
    onOutput?.(d.toString());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // Ctrl-C or an error exit: the supervisor still stops its jobs (SIGTERM), even after we are gone.
  const onExit = () => child.kill('SIGTERM');
  process.on('exit', onExit);
  const running = () => child.exitCode === null && child.signalCode === null;
  const handle = {
    child,
    pid: child.pid,
    output: () => output,
    running,
    async stop() {
      process.off('exit', onExit);
      if (!running()) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
  for (let i = 0; i < 300 && !existsSync(socket) && running(); i++) await sleep(50);
  if (!existsSync(socket)) {
    await handle.stop();
    throw new Error(`${runtime.name}: autopilot run: the control socket never appeared; output:\n${output}`);
  }
  return handle;
}

/** Waits (bounded) until Consul holds a passing TTL check for every one of `names`. */
export async function waitPassing(agent, names, sup, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const checks = Object.values(await consulGet(agent, '/v1/agent/checks'));
    const passing = new Set(checks.filter((c) => c.Status === 'passing').map((c) => c.ServiceName));
    if (names.every((n) => passing.has(n))) return;
    if (!sup.running() || Date.now() > end) {
      throw new Error(`not every service passed in Consul (${names.filter((n) => !passing.has(n)).join(', ')} missing); supervisor output:\n${sup.output().slice(-4000)}`);
    }
    await sleep(200);
  }
}

/** Runtime name and version, for results. */
export function runtimeVersion(name) {
  if (name === 'node') return process.version;
  const bun = () => versionOf(join(repoRoot, 'node_modules', '.bin', 'bun')) ?? 'bun';
  if (name === 'bun') return `bun ${bun()}`;
  if (name === 'binary') return `bun ${bun()} (compiled)`;
  return versionOf(join(repoRoot, 'node_modules', '.bin', 'deno')) ?? 'deno';
}

/**
 * One steady-state measurement: `seconds` long, after `warmupS`. Per second: VmRSS of the
 * supervisor and of its tree; per `windowS`: CPU % of one core (self, reaped children).
 */
async function measure(runtime, kind, agent, { seconds, warmupS, windowS }) {
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-cost-'));
  // Ctrl-C ends this process through process.exit() (the Consul helper's handler): no finally runs.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.on('exit', removeDir);
  const svc = await startServices(JOBS);
  let sup;
  try {
    const socket = join(dir, 'cp.sock');
    const config = join(dir, 'containerpilot.json5');
    const prefix = `cost-${runtime.name}-${kind}`;
    writeFileSync(config, ['{', `  consul: "${agent.address}",`, `  control: { socket: "${socket}" },`, '  jobs: [', ...jobsConfig(prefix, svc.services, kind), '  ],', '}', ''].join('\n'));
    sup = await startSupervisor(runtime, config, socket);
    await waitPassing(agent, svc.services.map((_, i) => `${prefix}-${i + 1}`), sup);
    await sleep(warmupS * 1000);

    const rssSelf = [];
    const rssTree = [];
    const cpuSelf = [];
    const cpuChildren = [];
    const requestsBefore = svc.services.map((s) => s.requests);
    const t0 = performance.now();
    const c0 = cpuSeconds(sup.pid);
    let w0 = { t: t0, c: c0 };
    for (let i = 1; i <= seconds; i++) {
      // Sample on a fixed 1 s grid, so a slow sample does not stretch the run.
      await sleep(Math.max(0, t0 + i * 1000 - performance.now()));
      if (!sup.running()) throw new Error(`${runtime.name}: the supervisor exited during the run; output:\n${sup.output().slice(-4000)}`);
      rssSelf.push(rssKiB(sup.pid) / 1024);
      rssTree.push((rssKiB(sup.pid) + descendants(sup.pid).reduce((sum, pid) => sum + rssKiB(pid), 0)) / 1024);
      if (i % windowS === 0) {
        const now = performance.now();
        const c = cpuSeconds(sup.pid);
        const span = (now - w0.t) / 1000;
        cpuSelf.push((100 * (c.self - w0.c.self)) / span);
        cpuChildren.push((100 * (c.children - w0.c.children)) / span);
        w0 = { t: now, c };
      }
    }
    const elapsed = (performance.now() - t0) / 1000;
    const c1 = cpuSeconds(sup.pid);
    const requests = svc.services.map((s, i) => s.requests - requestsBefore[i]);
    // The checks must really have run: about one per second per service.
    const fewest = Math.min(...requests);
    if (fewest < 0.8 * elapsed - 1) throw new Error(`${runtime.name}/${kind}: only ${fewest} health-check requests in ${elapsed.toFixed(1)} s on one service; output:\n${sup.output().slice(-4000)}`);
    await waitPassing(agent, svc.services.map((_, i) => `${prefix}-${i + 1}`), sup, 5000);
    return {
      rssSelf,
      rssTree,
      cpuSelf,
      cpuChildren,
      meanSelf: (100 * (c1.self - c0.self)) / elapsed,
      meanChildren: (100 * (c1.children - c0.children)) / elapsed,
      elapsed,
      checksPerSecond: requests.reduce((a, b) => a + b, 0) / elapsed,
      processes: 1 + descendants(sup.pid).length,
    };
  } finally {
    await sup?.stop();
    await svc.close();
    process.off('exit', removeDir);
    removeDir();
  }
}

async function main() {
  const SECONDS = numberFlag('seconds', 60, 2);
  const WARMUP = numberFlag('warmup', 10, 1);
  const WINDOW = smoke ? 1 : 5;
  const i = process.argv.indexOf('--runtimes');
  const names = (i > 0 ? process.argv[i + 1] : 'node,bun,binary,deno').split(',');
  const runtimes = names.map((n) => cliRuntime(n));
  const loadBefore = loadavg()[0];
  const results = [];
  const agent = await startConsulAgent();
  try {
    for (const runtime of runtimes) {
      for (const kind of ['http', 'exec']) {
        process.stderr.write(`bench: cost, ${runtime.name}, ${kind} checks, ${WARMUP} s warm-up + ${SECONDS} s\n`);
        results.push({ runtime: runtime.name, kind, ...(await measure(runtime, kind, agent, { seconds: SECONDS, warmupS: WARMUP, windowS: WINDOW })) });
      }
    }
  } finally {
    await agent.stop();
  }

  const checkLabel = { http: 'built-in http check', exec: 'exec check (curl)' };
  const goal = { text: '<= 1% of a core', stat: 'median', limit: 1, better: 'lower' };
  const rows = [];
  for (const r of results) {
    const tag = `${r.runtime}, ${checkLabel[r.kind]}`;
    rows.push(row(`CPU, supervisor (utime+stime), ${tag}`, '%', r.cpuSelf, r.kind === 'http' ? goal : undefined));
    rows.push(row(`CPU, reaped children (cutime+cstime), ${tag}`, '%', r.cpuChildren));
    rows.push(row(`RSS, supervisor, ${tag}`, 'MiB', r.rssSelf));
    rows.push(row(`RSS, process tree, ${tag}`, 'MiB', r.rssTree));
  }
  const flags = process.argv.slice(2).join(' ');
  const command = `node bench/cost.mjs${flags ? ` ${flags}` : ''}`;
  const consulVersion = versionOf(findConsulBinary(), ['version']) ?? 'Consul';
  const pct = (x) => `${x.toFixed(2)}%`;
  const mib = (x) => `${x.toFixed(1)} MiB`;
  const notes = [
    `${JOBS} jobs (\`sleep\`, each advertised in Consul with a TTL check, ttl 5) health-checked every 1 s; the ${JOBS} HTTP endpoints are served by the benchmark process, so the applications' CPU is not counted. ${SECONDS} s measured after ${WARMUP} s of warm-up once every check passed in Consul.`,
    `CPU: /proc/<pid>/stat of the supervisor over ${WINDOW} s windows: utime+stime (the supervisor itself, all threads) and cutime+cstime (children it reaped: the exec checks' curl processes). RSS: VmRSS every second.`,
  ];
  writeResult('cost', {
    section: 5,
    title: 'Cost: idle CPU and RSS, 5 jobs with 1 s health checks',
    command,
    runtimes: Object.fromEntries(runtimes.map((rt) => [rt.name, runtimeVersion(rt.name)])),
    loadBefore,
    rows,
    notes,
  });
  const s = (xs, fmt) => { const st = stats(xs); return `${fmt(st.median)} / ${fmt(st.p99)}`; };
  writeReport('cost', [
    '# Cost: idle CPU and memory of a supervisor with 5 health-checked jobs',
    '',
    machineLine('cost.mjs', loadBefore) + ` ${consulVersion}, single-server agent on loopback.`,
    '',
    `Command: \`${command}\` (also run by \`npm run bench\`).`,
    '',
    '| runtime | checks | CPU supervisor, median / p99 of windows | CPU supervisor, whole run | CPU reaped children (checks), median / p99 | children, whole run | RSS supervisor, median / p99 | RSS tree, median / p99 | processes | checks/s seen |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.runtime} | ${checkLabel[r.kind]} | ${s(r.cpuSelf, pct)} | ${pct(r.meanSelf)} | ${s(r.cpuChildren, pct)} | ${pct(r.meanChildren)} | ${s(r.rssSelf, mib)} | ${s(r.rssTree, mib)} | ${r.processes} | ${r.checksPerSecond.toFixed(2)} |`),
    '',
    `Goal: the supervisor at most 1% of one core with the built-in http checks (median of the ${WINDOW} s windows). The exec figures are as measured: every exec check forks and execs curl, and the supervisor pays for the spawn, the pipes and the reaping (its own CPU) while curl's own CPU shows in the reaped-children column.`,
    '',
    '## Method',
    '',
    `- A real Consul agent (\`startConsulAgent()\`, testing/consul-agent.ts) and a real \`autopilot run\` per (runtime, check kind): \`node dist/cli/index.js\`, \`bun dist/cli/index.js\`, \`deno run -A dist/cli/index.js\`, \`dist/bin/autopilot-linux-x64\` (testing/runtimes.ts). Config: \`consul\`, a control socket, and ${JOBS} jobs \`{ exec: ["sleep", "86400"], port, interfaces: ["static:127.0.0.1"], health: { <check>, interval: 1, ttl: 5 } }\`; no telemetry, no watches.`,
    '- Checks: `exec: ["curl", "-fsS", "http://127.0.0.1:PORT/"]` (a fork per check, as ContainerPilot users write it) or the built-in `http: "http://127.0.0.1:PORT/"` (in-process fetch, no fork). Each passing check heartbeats the job\'s TTL check in Consul.',
    `- The ${JOBS} endpoints are ${JOBS} tiny HTTP servers in the benchmark process (200, empty body), so the services cost the supervisor's tree nothing beyond the \`sleep\` processes; each counts its requests, and the run fails unless every service got about one check per second (column "checks/s seen": all ${JOBS} together).`,
    `- The measurement starts once Consul shows all ${JOBS} TTL checks passing, plus ${WARMUP} s of warm-up (JIT, first GCs), and lasts ${SECONDS} s. CPU: utime+stime from /proc/<pid>/stat of the supervisor process (every thread of the runtime), per ${WINDOW} s window, as % of one core (clock-tick resolution: 10 ms, i.e. ${(1 / WINDOW).toFixed(1)}% per window); "whole run" is the total over the ${SECONDS} s. Reaped children: cutime+cstime of the same file, the CPU of the children the supervisor waited for (the curl processes; the \`sleep\`s never exit during the run).`,
    '- RSS: VmRSS from /proc/<pid>/status every second, of the supervisor and summed over its process tree (the supervisor, the 5 `sleep`s and any check running at that instant).',
    '- The benchmark process itself (the HTTP servers, the sampling) is not part of any figure. Other work on the 2-core machine adds noise to CPU figures (see the load averages above).',
    '',
  ]);
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
