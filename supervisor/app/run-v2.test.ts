/**
 * Every ContainerPilot 2.x config of the compat corpus RUNS after translation, against a real
 * Consul agent: fixture commands are replaced by recording scripts (absolute paths rewritten in
 * memory; bare names such as consul-template, mongo and pkill found first on PATH), the Consul
 * address points at the test agent, and the 2.x main application is given after `--`, as
 * ContainerPilot 2 took it (`containerpilot -config x -- app args`).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { consulGet, startConsulAgent, type ConsulAgent, type HealthServiceEntry } from '../../testing/consul-agent.js';
import { compatDir } from '../../testing/paths.js';
import { sleep, Supervisor, TempDir } from '../../testing/supervisor.js';

const FAKE_PATHS = [
  '/usr/local/bin/preStart-script.sh', '/usr/local/bin/preStop-script.sh', '/usr/local/bin/postStop-script.sh',
  '/usr/local/bin/reload-app.sh', '/usr/local/bin/sensor.sh', '/usr/local/bin/task.sh', '/usr/local/bin/consul',
  '/usr/bin/curl', '/reload-app-prestart.sh', '/reload-app.sh', '/sensor.sh', '/bin/coprocess.sh', '/zombie.sh', '/app/prestart.sh',
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
  let text = readFileSync(join(compatDir, 'v2', file), 'utf8');
  text = text.replace(new RegExp(paths.map((p) => p.replace(/[.]/g, '\\.')).join('|'), 'g'), (m) => map.get(m)!);
  text = text.replace(/"(consul|localhost):8500"/g, JSON.stringify(agent.address));
  text = text.replace(/"port": 9090/, `"port": ${await freePort()}`);
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
    file: 'cp278__docs__full-schema.json',
    env: { ENV_VAR_NAME: 'from-env' },
    service: 'app',
    started: ['preStart-script.sh from-env', 'app arg1', 'consul-template -consul', 'task.sh arg1', 'sensor.sh', 'curl --fail -s http://localhost/app', 'reload-app.sh'],
    onStop: ['preStop-script.sh', 'postStop-script.sh'],
    order: ['preStart-script.sh', 'app arg1'],
  },
  {
    file: 'cp278__fixtures__app__app-with-consul-prestart-sighup.json',
    service: 'app',
    started: ['reload-app-prestart.sh HUP', 'app arg1', 'curl --fail', 'sensor.sh count', 'reload-app.sh'],
    order: ['reload-app-prestart.sh', 'app arg1'],
  },
  { file: 'cp278__fixtures__app__app-with-coprocess.json', service: 'app', started: ['app arg1', 'coprocess.sh arg1', 'curl --fail'] },
  {
    file: 'cp278__fixtures__nginx__etc__nginx-with-consul.json',
    service: 'nginx',
    started: ['consul-template -once -retry 30s', 'app arg1', 'curl --fail -s -o /dev/null http://localhost/health.txt'],
    order: ['consul-template -once -retry', 'app arg1'],
  },
  { file: 'cp278__fixtures__zombie_maker__app.json', service: 'zombies', started: ['app arg1', 'zombie.sh'] },
  {
    file: 'lucj-api__containerpilot.json',
    env: { CONSUL_HOST: 'consul.example' },
    service: 'api',
    started: ['prestart.sh', 'app arg1', 'consul agent -data-dir=/data -config-dir=/config -rejoin -retry-join consul.example', 'curl -o /dev/null'],
    order: ['prestart.sh', 'app arg1'],
  },
  { file: 'lucj-db__containerpilot.json', service: 'db', started: ['app arg1', 'mongo --eval db.status', 'consul agent -data-dir=/data -config-dir=/config -rejoin -retry-join consul '] },
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
  const run = await runV2('cp278__tests__test_envvars__containerpilot.json');
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
  assert.match(cp.output, /helper exited with error: signal: terminated/);
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
