// Side by side with ContainerPilot 3.8: the same configs run by ContainerPilot (built from source,
// ../shared/bin/containerpilot-3.8) and by autopilot (the binary, Node, Bun, Deno), in interleaved
// rounds (each round runs every peer once, in a fresh random order), with the load recorded.
// Figures: start (exec -> app spawned), stop (SIGTERM -> exit, app running), exit code, a crash
// loop (restarts/s, CPU, RSS), idle CPU and RSS with 5 health-checked jobs (exec checks; and
// autopilot's built-in http check), watch reaction. Without ../shared the section is a note.
//   node bench/containerpilot.mjs [--smoke] [--rounds N] [--seconds N] [--runtimes binary,node,bun,deno]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, descendants, jobsConfig, rssKiB, runtimeVersion, startServices, waitPassing } from './cost.mjs';
import { CONTAINERPILOT, launch, peers, shuffled, until } from './lib/peers.mjs';
import { machineLine, numberFlag, repoRoot, sleep, smoke, stats, versionOf, wallMs, writeReport, writeResult } from './lib/report.mjs';

const { startConsulAgent, consulPut } = await import(join(repoRoot, 'dist', 'testing', 'consul-agent.js'));

const ROUNDS = numberFlag('rounds', 20, 2);
const SECONDS = numberFlag('seconds', 20, 3);
const runtimesFlag = process.argv.indexOf('--runtimes');
const RUNTIMES = runtimesFlag > 0 ? process.argv[runtimesFlag + 1].split(',') : ['binary', 'node', 'bun', 'deno'];
const command = ['node bench/containerpilot.mjs', ...process.argv.slice(2)].join(' ');
const loadBefore = loadavg()[0];

if (!existsSync(CONTAINERPILOT)) {
  const note = `Skipped: ${CONTAINERPILOT} is not here (it sits in ../shared beside the repository, see ../shared/bin/README.md); nothing to compare with.`;
  writeResult('containerpilot', { section: 0, title: 'Against ContainerPilot 3.8', command, loadBefore, rows: [], notes: [note] });
  writeReport('containerpilot', ['# Against ContainerPilot 3.8', '', note, '']);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-cp-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const all = peers(RUNTIMES);
const samples = new Map(); // `${figure}\0${peer}` -> numbers
const add = (figure, peer, v) => samples.set(`${figure}\0${peer.name}`, [...(samples.get(`${figure}\0${peer.name}`) ?? []), v]);

/** A config file: ContainerPilot needs a `consul` even when nothing registers (a closed port then). */
function config(name, body) {
  const file = join(dir, `${name}.json5`);
  writeFileSync(file, JSON.stringify({ consul: '127.0.0.1:9', control: { socket: join(dir, `${name}.sock`) }, ...body }, null, 2));
  return file;
}

/** The app of the start figure: writes its own CLOCK_REALTIME start (a C program; sh + date without cc). */
function stampApp() {
  writeFileSync(join(dir, 'stamp.c'), '#include <stdio.h>\n#include <time.h>\nint main(int c, char **v) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); FILE *f = fopen(v[1], "w"); fprintf(f, "%lld%09ld\\n", (long long)t.tv_sec, t.tv_nsec); fclose(f); return 0; }\n');
  const out = join(dir, 'stamp');
  return spawnSync('cc', ['-O2', '-o', out, join(dir, 'stamp.c')]).status === 0 ? (file) => [out, file] : (file) => ['sh', '-c', `date +%s%N > ${file}`];
}
const stamp = stampApp();
const readStamp = (file) => (existsSync(file) && readFileSync(file, 'utf8').trim() ? Number(BigInt(readFileSync(file, 'utf8').trim()) / 1000n) / 1000 : undefined);

async function startFigure(peer) {
  const file = join(dir, `stamp-${peer.name}`);
  rmSync(file, { force: true });
  const cfg = config(`start-${peer.name}`, { jobs: [{ name: 'app', exec: stamp(file) }] });
  const t0 = wallMs();
  const sup = launch(peer.argv(cfg));
  try {
    add('start', peer, (await until(`${peer.label} start`, () => readStamp(file), 20_000)) - t0);
  } finally {
    sup.child.kill('SIGKILL');
    await sup.wait(5_000);
  }
}

async function stopAndExitFigures(peer, round) {
  const cfg = config(`stop-${peer.name}`, { jobs: [{ name: 'app', exec: ['sleep', '86400'] }] });
  const sup = launch(peer.argv(cfg));
  await until(`${peer.label}: the app running`, () => (descendants(sup.pid).length > 0 ? true : undefined), 20_000, 10);
  const t0 = performance.now();
  const stopped = await sup.stop(20_000);
  add('stop', peer, stopped.at - t0);
  if (round > 0) return; // the exit code is the same every time: once is enough
  const exit = launch(peer.argv(config(`exit-${peer.name}`, { jobs: [{ name: 'app', exec: ['sh', '-c', 'exit 3'] }] })));
  add('exit code', peer, (await exit.wait(20_000)).code ?? -1);
}

async function crashLoopFigure(peer) {
  const file = join(dir, `crash-${peer.name}`);
  rmSync(file, { force: true });
  const cfg = config(`crash-${peer.name}`, { jobs: [{ name: 'app', exec: ['sh', '-c', `echo x >> ${file}; exit 1`], restarts: 'unlimited' }] });
  const sup = launch(peer.argv(cfg));
  await sleep(500);
  const c0 = cpuSeconds(sup.pid);
  const n0 = existsSync(file) ? readFileSync(file, 'utf8').length / 2 : 0;
  await sleep(SECONDS * 1000);
  const c1 = cpuSeconds(sup.pid);
  const n1 = readFileSync(file, 'utf8').length / 2;
  add('crash loop: restarts/s', peer, (n1 - n0) / SECONDS);
  add('crash loop: CPU', peer, (100 * (c1.self + c1.children - c0.self - c0.children)) / SECONDS);
  add('crash loop: RSS', peer, rssKiB(sup.pid) / 1024);
  await sup.stop(20_000);
}

async function idleFigure(peer, agent, kind) {
  const svc = await startServices(5);
  const prefix = `cp-${peer.name}-${kind}`;
  const cfg = join(dir, `${prefix}.json5`);
  writeFileSync(cfg, ['{', `  consul: "${agent.address}",`, `  control: { socket: "${join(dir, `${prefix}.sock`)}" },`, '  jobs: [', ...jobsConfig(prefix, svc.services, kind), '  ],', '}', ''].join('\n'));
  const sup = launch(peer.argv(cfg));
  try {
    await waitPassing(agent, svc.services.map((_, i) => `${prefix}-${i + 1}`), { running: sup.running, output: sup.output });
    await sleep(2_000);
    const c0 = cpuSeconds(sup.pid);
    await sleep(SECONDS * 1000);
    const c1 = cpuSeconds(sup.pid);
    const label = kind === 'exec' ? 'exec checks (curl)' : 'built-in http checks';
    add(`5 jobs, ${label}: CPU`, peer, (100 * (c1.self + c1.children - c0.self - c0.children)) / SECONDS);
    add(`5 jobs, ${label}: RSS`, peer, rssKiB(sup.pid) / 1024);
  } finally {
    await sup.stop(20_000);
    await svc.close();
  }
}

async function watchFigure(peer, agent, samplesPerRound) {
  const name = `cpwatch-${peer.name}`;
  const file = join(dir, `watch-${peer.name}`);
  const cfg = join(dir, `${name}.json5`);
  writeFileSync(cfg, JSON.stringify({ consul: agent.address, control: { socket: join(dir, `${name}.sock`) }, jobs: [{ name: 'hook', exec: stamp(file), when: { source: `watch.${name}`, each: 'changed' } }], watches: [{ name, interval: 1 }] }, null, 2));
  const sup = launch(peer.argv(cfg));
  try {
    await sleep(1_500);
    for (let i = 0; i < samplesPerRound; i++) {
      rmSync(file, { force: true });
      const t0 = wallMs();
      if (i % 2 === 0) await consulPut(agent, '/v1/agent/service/register', { ID: `${name}-1`, Name: name, Port: 80, Check: { TTL: '60s', Status: 'passing' } });
      else await consulPut(agent, `/v1/agent/service/deregister/${name}-1`);
      add('watch: change in Consul -> hook started', peer, (await until(`${peer.label} watch hook`, () => readStamp(file), 20_000)) - t0);
      await sleep(300);
    }
  } finally {
    await consulPut(agent, `/v1/agent/service/deregister/${name}-1`).catch(() => {});
    await sup.stop(20_000);
  }
}

const agent = await startConsulAgent();
try {
  for (let round = 0; round < ROUNDS; round++) {
    process.stderr.write(`bench: containerpilot round ${round + 1}/${ROUNDS}\n`);
    for (const peer of shuffled(all)) await startFigure(peer);
    // Stop, crash loop, idle and watch are slower: fewer rounds of them.
    if (round < Math.max(1, Math.floor(ROUNDS / 5))) {
      for (const peer of shuffled(all)) await stopAndExitFigures(peer, round);
      for (const peer of shuffled(all)) await crashLoopFigure(peer);
      for (const peer of shuffled(all)) await idleFigure(peer, agent, 'exec');
      for (const peer of shuffled(all.filter((p) => p.name !== 'containerpilot'))) await idleFigure(peer, agent, 'http');
      for (const peer of shuffled(all)) await watchFigure(peer, agent, smoke ? 2 : 4);
    }
  }
} finally {
  await agent.stop();
}

const FIGURES = [
  ['start', 'start: exec -> app spawned', 'ms'],
  ['stop', 'stop: SIGTERM -> exit, with the app running', 'ms'],
  ['exit code', 'exit code when the app exits 3', 'code'],
  ['crash loop: restarts/s', 'crash loop (exit 1 at once, restarts unlimited): restarts', 'per s'],
  ['crash loop: CPU', 'crash loop: CPU (supervisor and its reaped children)', '%'],
  ['crash loop: RSS', 'crash loop: RSS at the end', 'MiB'],
  ['5 jobs, exec checks (curl): CPU', '5 jobs, 1 s exec checks (curl): CPU (supervisor and checks)', '%'],
  ['5 jobs, exec checks (curl): RSS', '5 jobs, 1 s exec checks (curl): RSS of the supervisor', 'MiB'],
  ['5 jobs, built-in http checks: CPU', '5 jobs, 1 s built-in http checks: CPU (ContainerPilot has none)', '%'],
  ['5 jobs, built-in http checks: RSS', '5 jobs, 1 s built-in http checks: RSS', 'MiB'],
  ['watch: change in Consul -> hook started', 'watch (interval 1): change in Consul -> hook started', 'ms'],
];
const median = (figure, peer) => stats(samples.get(`${figure}\0${peer.name}`) ?? []).median;
const cp = all.find((p) => p.name === 'containerpilot');
const fmt = (v, unit) => (!Number.isFinite(v) ? 'n/a' : unit === 'code' ? String(v) : unit === 'ms' ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : `${v.toFixed(v < 10 ? 2 : 1)} ${unit}`);
const ratio = (v, base, unit) => (unit === 'code' || !Number.isFinite(v) || !Number.isFinite(base) || base === 0 ? '' : `${Number((v / base).toPrecision(2))}x`);
const autopilotPeers = all.filter((p) => p !== cp);

const table = [
  `| figure (median) | ${all.map((p) => p.label).join(' | ')} | ${autopilotPeers.map((p) => `${p.label} / ContainerPilot`).join(' | ')} |`,
  `|---|${all.map(() => '---').join('|')}|${autopilotPeers.map(() => '---').join('|')}|`,
  ...FIGURES.map(([key, label, unit]) => `| ${label} | ${all.map((p) => fmt(median(key, p), unit)).join(' | ')} | ${autopilotPeers.map((p) => ratio(median(key, p), median(key, cp), unit)).join(' | ')} |`),
];
const rows = FIGURES.flatMap(([key, label, unit]) =>
  all.filter((p) => samples.has(`${key}\0${p.name}`)).map((p) => ({ label: `${label}: ${p.label}`, unit: unit === 'code' ? 'exit code' : unit, ...stats(samples.get(`${key}\0${p.name}`)) })),
);
const sideBySide = [
  `Medians of samples interleaved in one run (\`${command}\`; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after). Ratios are autopilot / ContainerPilot: lower is better for every figure (fewer restarts per second in a crash loop is the back-off working). ContainerPilot exits 0 whatever the app's exit code, and its stop waits 5 s before it kills a job's processes.`,
  '',
  ...table,
];
writeResult('containerpilot', {
  section: 0,
  title: 'Against ContainerPilot 3.8',
  command,
  runtimes: { containerpilot: versionOf(CONTAINERPILOT, ['-version'])?.replace(/^Version: /, '') ?? '3.8', ...Object.fromEntries(RUNTIMES.map((r) => [r, runtimeVersion(r)])) },
  loadBefore,
  rows,
  sideBySide,
});
writeReport('containerpilot', [
  '# Against ContainerPilot 3.8',
  '',
  machineLine('containerpilot.mjs', loadBefore),
  '',
  `Command: \`${command}\` (also run by \`npm run bench\`). ${ROUNDS} rounds of the start figure; ${Math.max(1, Math.floor(ROUNDS / 5))} of the others; each round runs every peer once, in a fresh random order.`,
  '',
  ...table,
  '',
  '## Method',
  '',
  `- ContainerPilot: \`${CONTAINERPILOT} -config FILE\` (3.8, built from source; ../shared/bin/README.md). autopilot: \`autopilot run --config FILE\` on the single-file binary and on Node, Bun and Deno (testing/runtimes.ts). The same config file for every peer; \`consul\` is a closed loopback port where nothing registers (ContainerPilot refuses a config without one), a real Consul agent where something does.`,
  '- Start: the app is a C program that writes its own `clock_gettime(CLOCK_REALTIME)`; the figure is that stamp minus the wall clock just before the spawn of the supervisor.',
  '- Stop: a job `sleep 86400`; from SIGTERM to the supervisor\'s exit. Exit code: a job `sh -c "exit 3"` that is not restarted.',
  `- Crash loop: a job that appends a line to a file and exits 1, \`restarts: "unlimited"\`; over ${SECONDS} s after 0.5 s: lines per second, CPU (utime+stime+cutime+cstime from /proc/<pid>/stat) as % of one core, and VmRSS at the end.`,
  `- Idle: bench/cost.mjs's 5 jobs (\`sleep\`s with a port, 1 s checks against 5 loopback HTTP servers of this process, TTL heartbeats to a real Consul agent) for ${SECONDS} s after all 5 pass plus 2 s; CPU as above, VmRSS of the supervisor at the end.`,
  '- Watch: a watch with `interval: 1` and a hook job `when: {source: "watch.<name>", each: "changed"}` that writes a stamp; the figure is from the request that registers or deregisters the instance in Consul to the stamp.',
  '',
]);
