// Section 2, fan-out: with N-1 instances of a watched service registered and settled, the N-th
// becomes passing -> the nginx upstream file is rendered with N servers and the reload command
// starts, for N = 1, 10, 100, 1000, on two paths:
// - hook: the hello-world blueprint's nginx job: a blocking watch of `hello`, an `each: changed`
//   job running `autopilot render -once -consul ... -template nginx.conf.ctmpl:nginx.conf:<reload>`
//   (the generated template), under a real `autopilot run`;
// - coprocess: one long-running `autopilot render` (watch mode) with the same template.
// Both against a real Consul agent; `autopilot` is the npm bin (Node) and, when built, the
// single-file binary the nginx image uses. Also: `render -once` alone (exec -> reload started:
// autopilot's own share of the hook path), the template render alone, Consul's answer alone.
//   node bench/fanout.mjs [--smoke] [--samples N] [--max N]
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machineLine, ms, msRow, numberFlag, repoRoot, row, sleep, smoke, stats, versionOf, wallMs, writeReport, writeResult } from './lib/report.mjs';

const { startConsulAgent, consulPut, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));
const { RenderConsul } = await import(join(repoRoot, 'dist', 'supervisor', 'render', 'index.js'));
const { renderPass } = await import(join(repoRoot, 'dist', 'supervisor', 'render', 'pass.js'));
const { fetchDep } = await import(join(repoRoot, 'dist', 'supervisor', 'render', 'fetch.js'));
const { resolveTemplate } = await import(join(repoRoot, 'dist', 'supervisor', 'render', 'resolve.js'));
const { resolveConsulSettings } = await import(join(repoRoot, 'dist', 'supervisor', 'discovery', 'settings.js'));

const SAMPLES = numberFlag('samples', 20, 1); // per instance count, path and autopilot variant
const MAX = numberFlag('max', 1000, 100);
const COUNTS = [1, 10, 100, 1000].filter((n) => n <= MAX);
const ENGINE_BATCH = smoke ? 20 : 100;
const CONSUL_READS = smoke ? 3 : 20;
const WAIT_MS = 30_000; // one reload
const SETTLE_MS = 180_000; // registering up to 999 instances and the renders they cause
const QUIET_MS = smoke ? 300 : 400; // > the coprocess's 250 ms throttle: every sample is a leading-edge render
const SERVICE = 'hello';
const PORT = 8080;

const template = join(repoRoot, 'generators', 'testdata', 'golden', 'hello-world', 'nginx', 'nginx.conf.ctmpl');
const binary = join(repoRoot, 'dist', 'bin', 'autopilot-linux-x64');
const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-fanout-'));
// The npm bin as npm installs it: an executable `#!/usr/bin/env node` file loading dist/cli/index.js.
writeFileSync(join(dir, 'autopilot-node.mjs'), `#!/usr/bin/env node\nimport ${JSON.stringify(pathToFileURL(join(repoRoot, 'dist', 'cli', 'index.js')).href)};\n`, { mode: 0o755 });
const VARIANTS = [
  { key: 'node', target: join(dir, 'autopilot-node.mjs'), label: 'Node (npm bin)' },
  ...(existsSync(binary) ? [{ key: 'binary', target: binary, label: 'single-file binary' }] : []),
];

const nginxRun = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
const nginxVersion = nginxRun.status === 0 ? nginxRun.stderr.trim() : undefined;

const loadBefore = loadavg()[0];
let cp;
const children = new Set(); // coprocesses and render -once runs started here
process.on('exit', () => {
  if (cp && cp.exitCode === null && cp.signalCode === null) cp.kill('SIGKILL');
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

// Per path: the rendered file and the reload command's stamps.
const out = join(dir, 'nginx.conf');
const stamps = join(dir, 'stamps');
const outWatch = join(dir, 'nginx-watch.conf');
const stampsWatch = join(dir, 'stamps-watch');
const outOnce = join(dir, 'nginx-once.conf');
const stampsOnce = join(dir, 'stamps-once');
// The reload command: its start time first, then how many upstream servers the file it was
// started for holds (instances are 10.x addresses; the empty `world` upstream is 127.0.0.1).
const reload = join(dir, 'reload.sh');
writeFileSync(reload, `t=$(date +%s%N)\nn=$(grep -c 'server 10\\.' "$1")\necho "$t $n" >> "$2"\n`);
// While the coprocess is measured, the hook job runs this instead of autopilot (a fork, no render).
const noop = { key: 'noop', target: join(dir, 'noop.sh'), label: 'no-op' };
writeFileSync(noop.target, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
// `autopilot` as the job runs it: a symlink switched between the variants (the npm bin is the
// same kind of symlink to dist/cli/index.js, run through its #!/usr/bin/env node line).
const bin = join(dir, 'bin');
mkdirSync(bin);
const autopilot = join(bin, 'autopilot');
function useVariant(v) {
  const tmp = join(bin, 'autopilot.new');
  rmSync(tmp, { force: true });
  symlinkSync(v.target, tmp);
  renameSync(tmp, autopilot);
}

/** The reload command's runs: { at: ms since the epoch, servers }. */
function reloads(file = stamps) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [t, n] = l.split(' ');
      return { at: Number(BigInt(t) / 1000n) / 1000, servers: Number(n) };
    });
}

/** Waits (bounded) for a reload after position `from` with `servers` servers; returns it and any before it. */
async function reloadWith(from, servers, what, timeoutMs = WAIT_MS, file = stamps) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const runs = reloads(file).slice(from);
    const i = runs.findIndex((r) => r.servers === servers);
    if (i >= 0) return { run: runs[i], before: runs.slice(0, i) };
    if (Date.now() > end) throw new Error(`${what}: no reload with ${servers} servers within ${timeoutMs} ms (saw ${runs.map((r) => r.servers).join(', ') || 'none'}); supervisor output:\n${output.slice(-4000)}`);
    await sleep(2);
  }
}

/** Waits until no reload has started for QUIET_MS (bounded). */
async function quiet(file = stamps) {
  const end = Date.now() + SETTLE_MS;
  let last = reloads(file).length;
  let since = Date.now();
  while (Date.now() - since < QUIET_MS) {
    if (Date.now() > end) throw new Error('reloads kept coming');
    await sleep(25);
    const n = reloads(file).length;
    if (n !== last) [last, since] = [n, Date.now()];
  }
}

const address = (i) => `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;

let output = '';
let agent;
try {
  agent = await startConsulAgent();
  const register = (i) => consulPut(agent, '/v1/agent/service/register', { ID: `${SERVICE}-${i}`, Name: SERVICE, Address: address(i), Port: PORT });
  const deregister = (i) => consulPut(agent, `/v1/agent/service/deregister/${SERVICE}-${i}`);
  useVariant(VARIANTS[0]);
  const socket = join(dir, 'cp.sock');
  const config = join(dir, 'containerpilot.json5');
  // As generated for hello-world's nginx (generators/testdata/golden/hello-world/nginx/containerpilot.json5),
  // minus the nginx job itself and with local paths.
  const render = [autopilot, 'render', '-once', '-consul', agent.address, '-template', `${template}:${out}:sh ${reload} ${out} ${stamps}`];
  writeFileSync(config, `{
  consul: "${agent.address}",
  control: { socket: "${socket}" },
  jobs: [
    { name: "onchange-hello", exec: ${JSON.stringify(render)}, when: { source: "watch.${SERVICE}", each: "changed" } },
  ],
  watches: [ { name: "${SERVICE}", interval: 3 } ],
}\n`);
  cp = spawn(process.execPath, [join(repoRoot, 'dist', 'cli', 'index.js'), 'run', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CONTAINERPILOT: '', NO_COLOR: '1' } });
  const keep = (d) => (output = (output + d.toString()).slice(-20_000));
  cp.stdout.on('data', keep);
  cp.stderr.on('data', keep);
  for (let i = 0; i < 200 && !existsSync(socket); i++) await sleep(50);
  if (!existsSync(socket)) throw new Error(`autopilot run: the control socket never appeared; output:\n${output}`);
  await sleep(500); // the watch's first (empty) answer

  /** Starts `autopilot render` in watch mode (the coprocess) with variant `v`. */
  function startCoprocess(v) {
    const child = spawn(v.target, ['render', '-consul', agent.address, '-template', `${template}:${outWatch}:sh ${reload} ${outWatch} ${stampsWatch}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    children.add(child);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.exited = new Promise((resolve) => {
      child.once('error', (err) => resolve(`error ${err.message}`));
      child.once('exit', (code, signal) => resolve(code ?? signal));
    }).finally(() => children.delete(child));
    return child;
  }
  async function stopChild(child) {
    if (children.has(child)) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
    const how = await child.exited;
    clearTimeout(killer);
    return how;
  }

  const consul = new RenderConsul(resolveConsulSettings(agent.address, {}));
  const templateText = readFileSync(template, 'utf8');
  const e2e = {}; // `${variant}/${n}` -> latencies, hook path
  const co = {}; // `${variant}/${n}` -> latencies, coprocess
  const own = {}; // `${variant}/${n}` -> exec of render -once -> reload started
  const engine = {}; // n -> per-render ms
  const consulRead = {}; // n -> ms of GET /v1/health/service/hello?passing
  const unexpected = []; // reloads with another count before the expected one
  let registered = 0; // instances 1..registered are in Consul
  let nginxCheck = 'nginx not installed: not checked';
  try {
    for (const n of COUNTS) {
      process.stderr.write(`bench: fanout, N = ${n}: registering ${n - 1 - registered} more\n`);
      const from = reloads().length;
      const queue = [];
      for (let i = registered + 1; i <= n - 1; i++) queue.push(i);
      await Promise.all([0, 1, 2, 3].map(async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) await register(i);
      }));
      if (n - 1 > registered) await reloadWith(from, n - 1, `settling at ${n - 1}`, SETTLE_MS);
      registered = n - 1;
      await quiet();
      for (const v of VARIANTS) {
        useVariant(v);
        const samples = (e2e[`${v.key}/${n}`] = []);
        for (let s = 0; s < SAMPLES + 1; s++) {
          const at = reloads().length;
          await register(n);
          const returned = wallMs();
          const { run, before } = await reloadWith(at, n, `N=${n} ${v.key} sample ${s + 1}`);
          if (s > 0) samples.push(run.at - returned); // the first is a warm-up
          if (before.length) unexpected.push(`N=${n} ${v.key}: reloads with ${before.map((r) => r.servers).join(', ')} servers before the one with ${n}`);
          await quiet();
          const back = reloads().length;
          await deregister(n);
          await reloadWith(back, n - 1, `N=${n} ${v.key} deregistered ${s + 1}`);
          await quiet();
        }
      }
      // The coprocess: one `autopilot render` (watch mode) per variant, started with N-1 registered;
      // meanwhile the hook job forks a no-op instead of rendering.
      useVariant(noop);
      for (const v of VARIANTS) {
        const samples = (co[`${v.key}/${n}`] = []);
        rmSync(outWatch, { force: true }); // its first render then writes and reloads
        const first = reloads(stampsWatch).length;
        const child = startCoprocess(v);
        try {
          await reloadWith(first, n - 1, `coprocess N=${n} ${v.key}: first render`, WAIT_MS, stampsWatch);
          await quiet(stampsWatch);
          for (let s = 0; s < SAMPLES + 1; s++) {
            const at = reloads(stampsWatch).length;
            await register(n);
            const returned = wallMs();
            const { run, before } = await reloadWith(at, n, `coprocess N=${n} ${v.key} sample ${s + 1}`, WAIT_MS, stampsWatch);
            if (s > 0) samples.push(run.at - returned); // the first is a warm-up
            if (before.length) unexpected.push(`coprocess N=${n} ${v.key}: reloads with ${before.map((r) => r.servers).join(', ')} servers before the one with ${n}`);
            await quiet(stampsWatch);
            const back = reloads(stampsWatch).length;
            await deregister(n);
            await reloadWith(back, n - 1, `coprocess N=${n} ${v.key} deregistered ${s + 1}`, WAIT_MS, stampsWatch);
            await quiet(stampsWatch);
          }
        } finally {
          const how = await stopChild(child);
          if (how !== 0) throw new Error(`coprocess ${v.key}: exited with ${how} after SIGTERM; output:\n${output.slice(-4000)}`);
        }
      }
      useVariant(VARIANTS[0]);
      await quiet();
      // Leave N registered, rendered, for the timings below and the next count.
      const at = reloads().length;
      await register(n);
      await reloadWith(at, n, `N=${n} kept`);
      registered = n;
      await quiet();
      // `render -once` alone, as the hook job runs it, with N instances: exec -> reload started.
      for (const v of VARIANTS) {
        const samples = (own[`${v.key}/${n}`] = []);
        for (let s = 0; s < SAMPLES + 1; s++) {
          rmSync(outOnce, { force: true }); // so it writes and reloads
          const from = reloads(stampsOnce).length;
          const t0 = wallMs();
          const child = spawn(v.target, ['render', '-once', '-consul', agent.address, '-template', `${template}:${outOnce}:sh ${reload} ${outOnce} ${stampsOnce}`], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
          children.add(child);
          child.exited = new Promise((resolve) => {
            child.once('error', (err) => resolve(`error ${err.message}`));
            child.once('exit', (code, signal) => resolve(code ?? signal));
          }).finally(() => children.delete(child));
          const { run } = await reloadWith(from, n, `render -once alone N=${n} ${v.key} run ${s + 1}`, WAIT_MS, stampsOnce);
          const killer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
          const how = await child.exited;
          clearTimeout(killer);
          if (how !== 0) throw new Error(`render -once alone N=${n} ${v.key}: exit ${how}`);
          if (s > 0) samples.push(run.at - t0); // the first is a warm-up (page cache)
        }
      }
      if (n === COUNTS[COUNTS.length - 1] && nginxVersion) nginxCheck = checkWithNginx(n);
      // Engine only: the data fetched and shaped once, then renderPass (the template engine with
      // consul-template's functions reading the fetched data) timed alone.
      const brain = new Map();
      await resolveTemplate(templateText, template, brain, process.env, (deps) => Promise.all(deps.map(async (d) => brain.set(d.key, (await fetchDep(consul, d)).value))).then(() => undefined));
      const check = renderPass(templateText, template, brain, process.env);
      const rendered = (check.output ?? '').split('\n').filter((l) => /server 10\./.test(l)).length;
      if (rendered !== n) throw new Error(`engine render at N=${n}: ${rendered} servers`);
      for (let i = 0; i < 5; i++) renderPass(templateText, template, brain, process.env);
      const times = [];
      for (let i = 0; i < ENGINE_BATCH; i++) {
        const t0 = performance.now();
        renderPass(templateText, template, brain, process.env);
        times.push(performance.now() - t0);
      }
      engine[n] = times;
      // For reference: Consul's own answer for N instances (the read `render -once` makes).
      const reads = [];
      for (let i = 0; i < CONSUL_READS + 1; i++) {
        const t0 = performance.now();
        const res = await fetch(`${agent.httpUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/health/service/${SERVICE}?passing`, { signal: AbortSignal.timeout(WAIT_MS) });
        const body = await res.text();
        if (i > 0) reads.push(performance.now() - t0);
        if (!res.ok || JSON.parse(body).length !== n) throw new Error(`reading ${n} instances from Consul: ${res.status}`);
      }
      consulRead[n] = reads;
    }
  } finally {
    consul.close();
  }

  /** `nginx -t` on the rendered file with `n` upstream servers, under a private prefix. */
  function checkWithNginx(n) {
    const prefix = join(dir, 'nginx');
    mkdirSync(join(prefix, 'logs'), { recursive: true });
    const conf = join(prefix, 'nginx.conf');
    // The generated file names /var/run/nginx.pid; keep the check inside the prefix.
    writeFileSync(conf, readFileSync(out, 'utf8').replace('pid /var/run/nginx.pid;', `pid ${join(prefix, 'nginx.pid')};`));
    copyFileSync(out, join(prefix, 'as-rendered.conf'));
    const r = spawnSync('nginx', ['-t', '-p', prefix, '-c', conf, '-e', 'stderr'], { encoding: 'utf8', timeout: 20_000 });
    if (r.status !== 0) throw new Error(`nginx -t rejected the rendered file with ${n} servers: ${r.stderr}`);
    return `\`nginx -t\` accepted the rendered file with ${n} upstream servers (${nginxVersion})`;
  }

  const goal = { text: '<= 50 ms', stat: 'median', limit: 50, better: 'lower' };
  const last = COUNTS[COUNTS.length - 1];
  const rows = [];
  const inst = (n) => `${n} instance${n > 1 ? 's' : ''}`;
  for (const n of COUNTS) {
    for (const v of VARIANTS) rows.push(row(`${inst(n)}, ${v.label}, watch hook + render -once: N-th passing -> reload started with N servers`, 'ms', e2e[`${v.key}/${n}`], n === 1000 ? goal : undefined));
    for (const v of VARIANTS) rows.push(row(`${inst(n)}, ${v.label}, render coprocess (watch mode): N-th passing -> reload started with N servers`, 'ms', co[`${v.key}/${n}`], n === 1000 ? goal : undefined));
    for (const v of VARIANTS) rows.push(row(`${inst(n)}, ${v.label}: render -once alone, exec -> reload started (autopilot's share of the hook path, Consul's answer included)`, 'ms', own[`${v.key}/${n}`]));
    rows.push(row(`${inst(n)}: template render alone (in process)`, 'ms', engine[n]));
  }
  const series = [
    {
      title: 'Fan-out: N-th instance passing -> nginx reload started (hook and coprocess paths), and their parts',
      x: 'instances',
      unit: 'ms',
      logX: true,
      lines: [
        ...VARIANTS.map((v) => ({ label: `watch hook + render -once, ${v.label} (median)`, points: COUNTS.map((n) => [n, stats(e2e[`${v.key}/${n}`]).median]) })),
        ...VARIANTS.map((v) => ({ label: `render coprocess, ${v.label} (median)`, points: COUNTS.map((n) => [n, stats(co[`${v.key}/${n}`]).median]) })),
        ...VARIANTS.map((v) => ({ label: `render -once alone, ${v.label} (median)`, points: COUNTS.map((n) => [n, stats(own[`${v.key}/${n}`]).median]) })),
        { label: 'template render alone (median)', points: COUNTS.map((n) => [n, stats(engine[n]).median]) },
        { label: "Consul's answer alone (median)", points: COUNTS.map((n) => [n, stats(consulRead[n]).median]) },
      ],
    },
  ];
  const consulVersion = versionOf(findConsulBinary(), ['version']) ?? 'Consul';
  const command = ['node bench/fanout.mjs', ...process.argv.slice(2)].join(' ');
  const runtimes = { node: process.version };
  if (VARIANTS.some((v) => v.key === 'binary')) runtimes.binary = versionOf(binary, ['--version']) ?? 'built';
  writeResult('fanout', {
    section: 2,
    title: 'Fan-out: render nginx upstreams + reload',
    command,
    runtimes,
    loadBefore,
    rows,
    series,
    notes: [
      `With N-1 instances settled, the N-th registered -> the hello-world nginx template rendered with N servers and the reload command started, on two paths: the blueprint's watch hook (an \`autopilot render -once\` job per change, under \`autopilot run\`) and a render coprocess (one long-running \`autopilot render\` in watch mode). ${consulVersion}. ${nginxCheck}. The goal applies at ${last === 1000 ? '1000' : `1000 (this run stopped at ${last})`}, on both paths.`,
      `At ${last} instances Consul's own answer to the health query took ${ms(stats(consulRead[last]).median)} (median) and the template render alone ${ms(stats(engine[last]).median)}. The hook path reads that answer twice (the watch's blocking query, then \`render -once\`) and starts a new \`autopilot\` process per change; \`render -once\` alone (exec -> reload started, Consul's answer included) took ${VARIANTS.map((v) => `${ms(stats(own[`${v.key}/${last}`]).median)} (${v.label})`).join(', ')}. The coprocess reads it once, in a process that is already running.`,
    ],
  });

  const line = msRow;
  writeReport('fanout', [
    '# 2. Fan-out: render nginx upstreams + reload',
    '',
    machineLine('fanout.mjs', loadBefore) + ` ${consulVersion}, single-server agent on loopback.`,
    '',
    `Command: \`${command}\`.`,
    '',
    '| case | n | median | p95 | p99 | max |',
    '|---|---|---|---|---|---|',
    ...COUNTS.flatMap((n) => [
      ...VARIANTS.map((v) => line(`N = ${n}, ${v.label}, watch hook + render -once: N-th passing -> reload started with N servers${n === 1000 ? ' (goal p50 <= 50 ms)' : ''}`, e2e[`${v.key}/${n}`])),
      ...VARIANTS.map((v) => line(`N = ${n}, ${v.label}, render coprocess (watch mode): N-th passing -> reload started with N servers${n === 1000 ? ' (goal p50 <= 50 ms)' : ''}`, co[`${v.key}/${n}`])),
      ...VARIANTS.map((v) => line(`N = ${n}, ${v.label}: render -once alone, exec -> reload started (autopilot's share of the hook path)`, own[`${v.key}/${n}`])),
      line(`N = ${n}: template render alone, in process`, engine[n]),
      line(`N = ${n}: (Consul's answer alone: GET /v1/health/service/${SERVICE}?passing, body read)`, consulRead[n]),
    ]),
    '',
    `${nginxCheck}.`,
    unexpected.length ? `Reloads seen before the expected one (a render that started on older data): ${unexpected.join('; ')}.` : 'Every measured reload was the first one after the change (no render on older data in between).',
    '',
    '## Method',
    '',
    '- A real Consul agent and a real `node dist/cli/index.js run` whose config is the hello-world nginx config (generators/testdata/golden/hello-world/nginx/containerpilot.json5) without the nginx job: watch `{ name: "hello", interval: 3 }` (blocking queries) and the job `onchange-hello` `when: { source: "watch.hello", each: "changed" }` running `autopilot render -once -consul <agent> -template nginx.conf.ctmpl:nginx.conf:<reload>` on the generated template (two upstreams, `hello` and `world`).',
    `- \`autopilot\` is a symlink switched per variant: to an executable \`#!/usr/bin/env node\` file importing dist/cli/index.js (as the npm bin runs it)${VARIANTS.length > 1 ? ' and to dist/bin/autopilot-linux-x64, the single-file binary the generated nginx image copies in' : ''}.`,
    "- The reload command is `sh reload.sh nginx.conf` (no real nginx for timing): it stamps `date +%s%N`, then counts the file's `server 10.` lines (instances have addresses 10.1.x.y), so a sample counts only when the file it was started for has N servers.",
    `- For each N: instances 1..N-1 are registered (agent service registrations, no checks: passing at once) and the renders they cause have settled (no reload for ${QUIET_MS} ms). Then ${SAMPLES} samples per variant (after one uncounted warm-up): register the N-th, wait for the reload with N servers, quiet, deregister it, wait for the reload with N-1, quiet. Latency = reload stamp - the return of the registration call.`,
    '- Hook path, the measured span: the watch sees the change (blocking query), the event bus, the job forks `autopilot render -once` (runtime start, module loading), which reads both services from Consul, renders, writes the file atomically and spawns `sh`, up to `date` in `sh`.',
    `- Render coprocess: \`autopilot render -consul <agent> -template nginx.conf.ctmpl:nginx-watch.conf:<reload>\` (watch mode, default pacing: a change after a quiet period renders at once), started per variant and N with N-1 registered, as a child of the benchmark (under \`autopilot run\` it would be a job with \`restarts: "unlimited"\`; the supervisor is not on its path). Meanwhile the hook job's \`autopilot\` points to a no-op script, so the hook forks \`sh\` per change but renders nothing. Same samples as the hook path (${SAMPLES} per variant after one warm-up; quiet ${QUIET_MS} ms between changes, more than the 250 ms throttle, so each sample is a leading-edge render). The span: Consul answers the coprocess's blocking query, the answer is parsed and compared, the template rendered, written atomically, \`sh\` spawned, up to \`date\` in \`sh\`.`,
    `- \`render -once\` alone (autopilot's share of the hook path): with N registered and the output file removed, the benchmark spawns \`autopilot render -once\` exactly as the hook job does; span = just before spawn() -> \`date\` in the reload command; ${SAMPLES} runs per variant after one warm-up. It includes the runtime's start, Consul's answer to its two queries and the reload's spawn; the rest of the hook figure is the watch's own blocking query and the supervisor's event and fork.`,
    `- Consul's answer alone: the same health query \`render -once\` makes, from the benchmark process (Node's fetch, body read), ${CONSUL_READS} times after one untimed: a floor under the end-to-end figure that no change in autopilot removes (the watch in \`autopilot run\` reads the same list once more before the job starts).`,
    `- Template render alone: after the data for N instances has been fetched and shaped once, \`renderPass\` (supervisor/render/pass.ts: the Go-template engine with consul-template's functions) on the same template, ${ENGINE_BATCH} timed renders after 5 untimed ones.`,
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
