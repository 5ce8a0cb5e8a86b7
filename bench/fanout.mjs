// Section 2, fan-out: with N-1 instances of a watched service registered and settled, the N-th
// becomes passing -> the nginx upstream file is rendered with N servers and the reload command
// starts, for N = 1, 10, 100, 1000. The path is the hello-world blueprint's nginx job: a blocking
// watch of `hello`, an `each: changed` job running `autopilot render -once -consul ... -template
// nginx.conf.ctmpl:nginx.conf:<reload>` (the generated template), under a real `autopilot run`
// and a real Consul agent. `autopilot` is the npm bin (Node) and, when built, the single-file
// binary the nginx image uses. Also: the in-process render time of the template alone.
//   node bench/fanout.mjs [--smoke] [--samples N] [--max N]
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machineLine, ms, numberFlag, repoRoot, row, sleep, smoke, stats, versionOf, wallMs, writeReport, writeResult } from './lib/report.mjs';

const { startConsulAgent, consulPut, findConsulBinary } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));
const { RenderConsul, renderPass } = await import(join(repoRoot, 'dist', 'supervisor', 'render', 'index.js'));
const { fetchDep } = await import(join(repoRoot, 'dist', 'supervisor', 'render', 'fetch.js'));
const { resolveTemplate } = await import(join(repoRoot, 'dist', 'supervisor', 'render', 'resolve.js'));
const { resolveConsulSettings } = await import(join(repoRoot, 'dist', 'supervisor', 'discovery', 'settings.js'));

const SAMPLES = numberFlag('samples', 20, 2); // per instance count and autopilot variant
const MAX = numberFlag('max', 1000, 100);
const COUNTS = [1, 10, 100, 1000].filter((n) => n <= MAX);
const ENGINE_BATCH = smoke ? 20 : 100;
const CONSUL_READS = smoke ? 3 : 20;
const WAIT_MS = 30_000; // one reload
const SETTLE_MS = 180_000; // registering up to 999 instances and the renders they cause
const QUIET_MS = 400;
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
process.on('exit', () => {
  if (cp && cp.exitCode === null && cp.signalCode === null) cp.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const out = join(dir, 'nginx.conf');
const stamps = join(dir, 'stamps');
// The reload command: its start time first, then how many upstream servers the file it was
// started for holds (instances are 10.x addresses; the empty `world` upstream is 127.0.0.1).
const reload = join(dir, 'reload.sh');
writeFileSync(reload, `t=$(date +%s%N)\nn=$(grep -c 'server 10\\.' "$1")\necho "$t $n" >> ${stamps}\n`);
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
function reloads() {
  if (!existsSync(stamps)) return [];
  return readFileSync(stamps, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [t, n] = l.split(' ');
      return { at: Number(BigInt(t) / 1000n) / 1000, servers: Number(n) };
    });
}

/** Waits (bounded) for a reload after position `from` with `servers` servers; returns it and any before it. */
async function reloadWith(from, servers, what, timeoutMs = WAIT_MS) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const runs = reloads().slice(from);
    const i = runs.findIndex((r) => r.servers === servers);
    if (i >= 0) return { run: runs[i], before: runs.slice(0, i) };
    if (Date.now() > end) throw new Error(`${what}: no reload with ${servers} servers within ${timeoutMs} ms (saw ${runs.map((r) => r.servers).join(', ') || 'none'}); supervisor output:\n${output.slice(-4000)}`);
    await sleep(2);
  }
}

/** Waits until no reload has started for QUIET_MS (bounded). */
async function quiet() {
  const end = Date.now() + SETTLE_MS;
  let last = reloads().length;
  let since = Date.now();
  while (Date.now() - since < QUIET_MS) {
    if (Date.now() > end) throw new Error('reloads kept coming');
    await sleep(25);
    const n = reloads().length;
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
  const render = [autopilot, 'render', '-once', '-consul', agent.address, '-template', `${template}:${out}:sh ${reload} ${out}`];
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

  const consul = new RenderConsul(resolveConsulSettings(agent.address, {}));
  const templateText = readFileSync(template, 'utf8');
  const e2e = {}; // `${variant}/${n}` -> latencies
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
      useVariant(VARIANTS[0]);
      // Leave N registered, rendered, for the engine timing and the next count.
      const at = reloads().length;
      await register(n);
      await reloadWith(at, n, `N=${n} kept`);
      registered = n;
      await quiet();
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
  for (const n of COUNTS) {
    for (const v of VARIANTS) rows.push(row(`${n} instance${n > 1 ? 's' : ''}, ${v.label}: N-th passing -> reload started with N servers`, 'ms', e2e[`${v.key}/${n}`], n === 1000 ? goal : undefined));
    rows.push(row(`${n} instance${n > 1 ? 's' : ''}: template render alone (in process)`, 'ms', engine[n]));
  }
  const series = [
    {
      title: 'Fan-out: N-th instance passing -> nginx reload started, and the render alone',
      x: 'instances',
      unit: 'ms',
      logX: true,
      lines: [
        ...VARIANTS.map((v) => ({ label: `end to end, ${v.label} (median)`, points: COUNTS.map((n) => [n, stats(e2e[`${v.key}/${n}`]).median]) })),
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
      `With N-1 instances settled, the N-th registered -> the \`autopilot render -once\` job started by the watch has rendered the hello-world nginx template with N servers and started the reload command. ${consulVersion}. ${nginxCheck}. The goal applies at ${last === 1000 ? '1000' : `1000 (this run stopped at ${last})`}.`,
      `At ${last} instances Consul's own answer to the health query took ${ms(stats(consulRead[last]).median)} (median) and the template render alone ${ms(stats(engine[last]).median)}; the path reads that answer twice (the watch's blocking query, then \`render -once\`) and starts a new \`autopilot\` process for each change.`,
    ],
  });

  const line = (label, xs) => {
    const s = stats(xs);
    return `| ${label} | ${s.n} | ${ms(s.median)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`;
  };
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
      ...VARIANTS.map((v) => line(`N = ${n}, ${v.label}: N-th passing -> reload started with N servers${n === 1000 ? ' (goal p50 <= 50 ms)' : ''}`, e2e[`${v.key}/${n}`])),
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
    '- The measured span: the watch sees the change (blocking query), the event bus, the job forks `autopilot render -once` (runtime start, module loading), which reads both services from Consul, renders, writes the file atomically and spawns `sh`, up to `date` in `sh`.',
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
