/**
 * Every 2.x config fixture of ours (supervisor/config/testdata/v2) RUNS after translation, against
 * a real Consul agent: fixture commands are replaced by recording scripts (absolute paths rewritten in
 * memory; bare names such as consul-template, mongo and pkill found first on PATH), the Consul
 * address points at the test agent, and the 2.x main application is given after `--`, as
 * ContainerPilot 2 took it (`containerpilot -config x -- app args`).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { consulGet, startConsulAgent, type ConsulAgent, type HealthServiceEntry } from '../../testing/consul-agent.js';
import { fixtureText } from '../../testing/config-fixtures.js';
import { sleep, Supervisor, TempDir } from '../../testing/supervisor.js';

const FAKE_PATHS = [
  '/opt/legacy/bin/prepare.sh', '/opt/legacy/bin/before-stop.sh', '/opt/legacy/bin/after-stop.sh', '/opt/legacy/bin/on-change.sh',
  '/opt/legacy/bin/measure.sh', '/opt/legacy/bin/sweep.sh', '/opt/legacy/bin/prestart-signal.sh', '/opt/legacy/bin/sidekick.sh',
  '/opt/legacy/bin/orphan-maker.sh', '/opt/notes/prestart.sh', '/opt/consul/bin/consul', '/usr/bin/curl',
];
const FAKE_NAMES = ['consul-template', 'mongo', 'pkill'];

let agent: ConsulAgent;
before(async () => {
  agent = await startConsulAgent();
});
after(async () => {
  await agent?.stop();
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Run {
  cp: Supervisor;
  dir: TempDir;
  /** Lines "<fake name> <args>" in call order. */
  calls: () => string[];
}

/** Writes the 2.x config with fixtures substituted and starts `autopilot run -config f -- app`. */
async function runV2(file: string, env: Record<string, string> = {}): Promise<Run> {
  const dir = new TempDir();
  const log = join(dir.path, 'calls');
  const record = (name: string) => `echo "${name} $*" >> ${log}; echo "fake ${name} ran"`;
  const map = new Map<string, string>();
  for (const p of FAKE_PATHS) map.set(p, dir.script(`fake${p.replace(/\//g, '_')}`, record(p.split('/').pop()!)));
  const bin = join(dir.path, 'bin');
  mkdirSync(bin);
  for (const n of FAKE_NAMES) dir.script(`bin/${n}`, record(n));
  const app = dir.script('app.sh', `echo "app $*" >> ${log}; exec sleep 60`);
  // One pass, longest path first, so a replacement is never rewritten again.
  const paths = [...map.keys()].sort((a, b) => b.length - a.length);
  let text = fixtureText('v2', file);
  text = text.replace(new RegExp(paths.map((p) => p.replace(/[.]/g, '\\.')).join('|'), 'g'), (m) => map.get(m)!);
  text = text.replace(/"(consul\.service|localhost):8500"/g, JSON.stringify(agent.address));
  text = text.replace(/("telemetry": \{\s*"port": )\d+/, `$1${await freePort()}`);
  // The nginx fixture names only eth0; fall back to lo where a machine has none.
  text = text.replace(/"interfaces": \["eth0"\]/, '"interfaces": ["eth0", "lo"]');
  const config = dir.config(file, text);
  const cp = new Supervisor(['-config', config, '--', app, 'arg1'], {
    env: { CONTAINERPILOT: undefined, PATH: `${bin}:${process.env['PATH']}`, ...env },
  });
  return { cp, dir, calls: () => dir.lines('calls') };
}

async function passing(service: string): Promise<boolean> {
  const entries = await consulGet<HealthServiceEntry[]>(agent, `/v1/health/service/${service}?passing`);
  return entries.length > 0;
}

/** Polls Consul (bounded) until `service` has a passing instance. */
async function untilPassing(run: Run, service: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await passing(service)) return;
    if (run.cp.child.exitCode !== null) break;
    await sleep(50);
  }
  assert.fail(`${service} never passing in Consul; output:\n${run.cp.output}`);
}

const has = (run: Run, prefix: string) => () => run.calls().some((l) => l.startsWith(prefix));

async function stop(run: Run): Promise<number | null> {
  run.cp.signal('SIGTERM');
  return (await run.cp.waitExit()).code;
}

const cases: Array<{ file: string; env?: Record<string, string>; service: string; started: string[]; onStop?: string[]; order?: [string, string] }> = [
  {
    file: 'full-schema.json',
    env: { PREPARE_MODE: 'from-env' },
    service: 'shop',
    started: ['prepare.sh from-env', 'app arg1', 'consul-template -consul', 'sweep.sh old', 'measure.sh', 'curl --fail -s http://localhost:8088/shop', 'on-change.sh'],
    onStop: ['before-stop.sh', 'after-stop.sh'],
    order: ['prepare.sh', 'app arg1'],
  },
  {
    file: 'prestart-sighup.json',
    service: 'web',
    started: ['prestart-signal.sh USR1', 'app arg1', 'curl --fail', 'measure.sh requests', 'on-change.sh'],
    order: ['prestart-signal.sh', 'app arg1'],
  },
  { file: 'coprocess.json', service: 'web', started: ['app arg1', 'sidekick.sh --verbose', 'curl --fail'] },
  {
    file: 'proxy-consul.json',
    service: 'proxy',
    started: ['consul-template -once -retry 15s', 'app arg1', 'curl --fail -s -o /dev/null http://localhost/healthz'],
    order: ['consul-template -once -retry', 'app arg1'],
  },
  { file: 'reaper.json', service: 'reaper', started: ['app arg1', 'orphan-maker.sh'] },
  {
    file: 'notes-api.json',
    env: { CONSUL_HOST: 'consul.example' },
    service: 'notes',
    started: ['prestart.sh', 'app arg1', 'consul agent -data-dir=/var/lib/consul -retry-join consul.example', 'curl -o /dev/null'],
    order: ['prestart.sh', 'app arg1'],
  },
  { file: 'notes-db.json', service: 'notes-db', started: ['app arg1', 'mongo --quiet --eval', 'consul agent -data-dir=/var/lib/consul -retry-join consul.service '] },
];

for (const c of cases) {
  test(`2.x config runs: ${c.file}: its jobs start, ${c.service} passes in Consul, SIGTERM stops it`, async (t) => {
    const run = await runV2(c.file, c.env);
    t.after(async () => {
      await run.cp.dispose();
      run.dir.dispose();
    });
    for (const call of c.started) await run.cp.until(has(run, call), `a call "${call}..."`, 20_000);
    if (c.order) {
      const calls = run.calls();
      assert.ok(calls.findIndex((l) => l.startsWith(c.order![0])) < calls.findIndex((l) => l.startsWith(c.order![1])), calls.join('\n'));
    }
    await untilPassing(run, c.service);
    assert.equal(await stop(run), 0, run.cp.output);
    for (const call of c.onStop ?? []) assert.ok(has(run, call)(), `${call} ran at stop; calls:\n${run.calls().join('\n')}`);
    assert.equal(await passing(c.service), false, `${c.service} deregistered at stop`);
  });
}

test('2.x etcd config: refused in one line, exit 2, nothing runs', async (t) => {
  const run = await runV2('etcd.json');
  t.after(() => run.dir.dispose());
  assert.equal((await run.cp.waitExit()).code, 2);
  assert.match(run.cp.stderr.trim(), /^[^\n]*: etcd: the etcd discovery backend of ContainerPilot 2\.x is not supported; use "consul"$/);
  assert.deepEqual(run.calls(), []);
});

test('a command after -- is refused with a 3.x config, in one line, exit 2', async (t) => {
  const dir = new TempDir();
  const config = dir.file('v3.json5', '{jobs: [{name: "a", exec: "true"}]}');
  const cp = new Supervisor(['run', '--config', config, '--', 'sleep', '1'], { env: { CONTAINERPILOT: undefined } });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  assert.equal((await cp.waitExit()).code, 2);
  assert.match(cp.stderr.trim(), /^[^\n]*v3\.json5: a command after -- runs only with a ContainerPilot 2\.x config/);
});

for (const argv of [['run', '--', 'sh', '-c', 'echo app-ran; exit 3'], ['sh', '-c', 'echo app-ran; exit 3']]) test(`$CONTAINERPILOT naming a 2.x config: \`autopilot ${argv.slice(0, 2).join(' ')} ...\` takes the command as its application; the app exit code is kept`, async (t) => {
  const dir = new TempDir();
  const config = dir.config('v2.json', JSON.stringify({ preStart: 'echo prestart-ran', postStop: 'echo poststop-ran' }));
  const cp = new Supervisor(argv, { env: { CONTAINERPILOT: config } });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  assert.equal((await cp.waitExit()).code, 3, cp.output);
  const at = (s: string) => cp.output.indexOf(s);
  assert.ok(at('prestart-ran') >= 0 && at('prestart-ran') < at('app-ran') && at('app-ran') < at('poststop-ran'), cp.output);
});

test('as in ContainerPilot 2.x, the supervisor ends with the command after --: postStop runs, coprocesses stop, its code is the exit code', async (t) => {
  const dir = new TempDir();
  const config = dir.config('v2.json', JSON.stringify({
    postStop: ['sh', '-c', 'echo poststop-ran'],
    coprocesses: [{ name: 'helper', command: ['sh', '-c', 'echo helper-up; exec sleep 60'], restarts: 'unlimited' }],
  }));
  const cp = new Supervisor(['-config', config, '--', 'sh', '-c', 'sleep 0.3; echo app-done; exit 7'], { env: { CONTAINERPILOT: undefined } });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  assert.equal((await cp.waitExit()).code, 7, cp.output);
  const at = (s: string) => cp.output.indexOf(s);
  assert.ok(at('helper-up') >= 0 && at('app-done') >= 0 && at('app-done') < at('poststop-ran'), cp.output);
  assert.match(cp.output, /helper stopped \(SIGTERM\)/, "a stop by the supervisor is logged as a stop");
  assert.doesNotMatch(cp.output, /helper exited with error/);
});

test('ContainerPilot 2.x command line without --: `-config v2.json app args` runs app args as the application', async (t) => {
  const dir = new TempDir();
  const config = dir.config('v2.json', JSON.stringify({ preStart: ['sh', '-c', 'echo prestart-ran'] }));
  const cp = new Supervisor(['-config', config, 'sh', '-c', 'echo app-ran "$0"; exit 4', '-config'], { env: { CONTAINERPILOT: undefined } });
  t.after(async () => {
    await cp.dispose();
    dir.dispose();
  });
  assert.equal((await cp.waitExit()).code, 4, cp.output);
  assert.ok(cp.output.indexOf('prestart-ran') < cp.output.indexOf('app-ran -config'), cp.output);
});
