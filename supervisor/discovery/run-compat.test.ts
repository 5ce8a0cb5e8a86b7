/**
 * ContainerPilot's integration tests `test_discovery_consul`, `test_envvars`, `test_sigterm` and
 * `test_sighup`, re-enacted with our own configs (supervisor/config/testdata/v3) under a real
 * `autopilot run` against a real Consul agent. Only what needs a container is swapped in memory:
 * the Consul address, fixed ports, and the fixture scripts (the static server, refresh.sh).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { consulGet, startConsulAgent, type ConsulAgent, type HealthServiceEntry } from '../../testing/consul-agent.js';
import { agentServices, eventually } from '../../testing/consul-run.js';
import { freePort } from '../../testing/runtimes-process.js';
import { fixtureConfig, sleep, Supervisor, TempDir } from '../../testing/supervisor.js';

let agent: ConsulAgent;
let cleanups: Array<() => Promise<void> | void> = [];

before(async () => {
  agent = await startConsulAgent();
});
// Each scenario ends with its supervisors stopped and dirs removed, so the next starts clean.
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});
after(async () => {
  await agent?.stop();
});

/** A free port whose digits contain none of `avoid` (so later text replacements cannot hit it). */
async function portAvoiding(avoid: string[]): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (!avoid.some((a) => String(p).includes(a))) return p;
  }
}

/** A fixture config with `replace` applied and a per-test control socket added (never the default). */
function fixture(dir: TempDir, name: string, replace: Record<string, string>): string {
  return fixtureConfig(dir, name, { ...replace, '{\n  consul:': `{\n  control: { socket: "${dir.path}/cp.socket" },\n  consul:` });
}

function start(dir: TempDir, config: string, env: Record<string, string> = {}): Supervisor {
  const cp = new Supervisor(['run', '--config', config], { env: { CONTAINERPILOT: undefined, ...env } });
  cleanups.push(() => cp.dispose());
  return cp;
}

function tempDir(): TempDir {
  const dir = new TempDir();
  cleanups.push(() => dir.dispose());
  return dir;
}

/** ContainerPilot's `assert service <name> <count>`: that many passing instances in the catalog. */
function passingInstances(name: string, count: number, cp: Supervisor, port?: number): Promise<HealthServiceEntry[]> {
  return eventually(`${count} passing instance(s) of ${name}`, async () => {
    const entries = await consulGet<HealthServiceEntry[]>(agent, `/v1/health/service/${name}?passing=true`);
    return entries.length === count && (port === undefined || entries.every((e) => e.Service.Port === port)) ? entries : undefined;
  }, () => cp.output);
}

/** The fixtures' static server (`... -p <port>`), on loopback. */
function httpServer(dir: TempDir): string {
  return dir.file('http-server.mjs', `import { createServer } from 'node:http';
const port = Number(process.argv[process.argv.indexOf('-p') + 1]);
createServer((_q, s) => s.end('ok')).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`);
}

test('discovery.json5 (test_discovery_consul): app and proxy registered, each watch fires its refresh job', async () => {
  const dir = tempDir();
  const appPort = await portAvoiding(['8000', '8500']);
  const refresh = dir.script('refresh.sh', `echo refresh >> ${dir.path}/reloads`);
  const config = fixture(dir, 'discovery.json5', {
    '8000': String(appPort),
    'consul.service:8500': agent.address,
    '/opt/node/bin/node': process.execPath,
    '/opt/app/static-server.js': httpServer(dir),
    '/opt/app/refresh.sh': refresh,
  });
  const app = start(dir, config, { APP_PORT: String(appPort) });
  // The scenario's proxy side, reduced to what the app's watch sees: a registered, passing proxy.
  const proxyDir = tempDir();
  const proxyPort = await portAvoiding([]);
  const proxy = start(proxyDir, proxyDir.file('proxy.json5', `{
  consul: "${agent.address}",
  control: { socket: "${proxyDir.path}/cp.socket" },
  jobs: [{ name: "proxy", port: ${proxyPort}, exec: ["${process.execPath}", "${httpServer(proxyDir)}", "-p", "${proxyPort}"],
           health: { exec: "/usr/bin/curl --fail -s -o /dev/null http://localhost:${proxyPort}", interval: 1, ttl: 5 } }],
  watches: [{ name: "app", interval: 1 }],
}`));

  const [appEntry] = await passingInstances('app', 1, app, appPort);
  await passingInstances('proxy', 1, proxy);
  assert.equal(appEntry!.Service.ID, `app-${hostname()}`);
  assert.equal(appEntry!.Service.Port, appPort);
  assert.deepEqual(appEntry!.Service.Tags, ['frontline']);
  // preStart ran once; watch.proxy and watch.app each fired their refresh job (intervals 6 s and
  // 4 s, but blocking queries deliver the first change at once).
  await app.waitFor(/refresh-on-proxy exited without error/, 20_000);
  await app.waitFor(/refresh-on-app exited without error/, 20_000);
  assert.ok(dir.lines('reloads').length >= 3, dir.read('reloads'));
  assert.match(app.output, /preStart exited without error/);
});

test('child-env.json5 (test_envvars): CONTAINERPILOT_<JOB>_IP and CONTAINERPILOT_<JOB>_PID in a job environment', async () => {
  const dir = tempDir();
  const config = fixture(dir, 'child-env.json5', {
    '8000': String(await portAvoiding(['8500', '8600'])),
    '127.0.0.1:8500': agent.address,
  });
  const cp = start(dir, config);
  await cp.waitFor(/CONTAINERPILOT_PRINTER_IP=\S+/, 20_000);
  await cp.waitFor(/CONTAINERPILOT_HOLDER_PID=\d+/);
  // The IP in the environment is the address registered in Consul.
  const [entry] = await passingInstances('holder', 1, cp);
  const ip = /CONTAINERPILOT_HOLDER_IP=(\S+)/.exec(cp.output)?.[1];
  assert.equal(ip, entry!.Service.Address);
  assert.equal(/CONTAINERPILOT_PRINTER_IP=(\S+)/.exec(cp.output)?.[1], entry!.Service.Address);
});

test('stop-hooks.json5 (test_sigterm): preStop and postStop fire, and the app is deregistered after the stop', async () => {
  const dir = tempDir();
  const port = await portAvoiding(['8500']);
  const config = fixture(dir, 'stop-hooks.json5', {
    '8000': String(port),
    'consul.service:8500': agent.address,
  });
  const cp = start(dir, config);
  await passingInstances('app', 1, cp, port);
  cp.signal('SIGTERM');
  assert.deepEqual(await cp.waitExit(20_000), { code: 0, signal: null }, cp.output);
  assert.match(cp.output, /before-stop hook saw the app stopping/);
  assert.match(cp.output, /after-stop hook saw the app stopped/);
  assert.equal((await agentServices(agent))[`app-${hostname()}`], undefined, 'deregistered after the stop');
  assert.deepEqual(await consulGet<unknown[]>(agent, '/v1/health/service/app'), []);
});

test('signals.json5 (test_sighup): SIGHUP and SIGUSR2 fire their jobs, and the app stays registered', async () => {
  const dir = tempDir();
  const port = await portAvoiding(['8500']);
  const config = fixture(dir, 'signals.json5', {
    '8000': String(port),
    'consul.service:8500': agent.address,
  });
  const cp = start(dir, config);
  const [before] = await passingInstances('app', 1, cp, port);
  cp.signal('SIGHUP');
  await cp.waitFor(/hangup handled by hup-handler/);
  cp.signal('SIGUSR2');
  await cp.waitFor(/user signal 2 handled by usr2-handler/);
  // Two more heartbeats (interval 1 s) after the signals: still exactly one passing instance.
  await sleep(2_000);
  const [still] = await passingInstances('app', 1, cp);
  assert.equal(still!.Service.ID, before!.Service.ID);
  assert.equal(cp.child.exitCode, null, 'the supervisor keeps running');
  assert.equal(cp.count(/app exited/), 0, 'the app never exited');
});

test('the ACL token: CONSUL_HTTP_TOKEN overrides the config, reaches Consul, and is never logged (even at DEBUG)', async () => {
  const dir = tempDir();
  const port = await portAvoiding([]);
  const cp = start(dir, dir.file('cp.json5', `{
  consul: { address: "${agent.address}", token: "config-token-5d1e" },
  logging: { level: "DEBUG" },
  control: { socket: "${dir.path}/cp.socket" },
  jobs: [{ name: "tokenapp", exec: ["sleep", "60"], port: ${port}, interfaces: ["static:127.0.0.1"], health: { exec: "true", interval: 1, ttl: 5 } }],
}`), { CONSUL_HTTP_TOKEN: 'env-token-8c2f' });
  await passingInstances('tokenapp', 1, cp, port);
  // Consul keeps the registering token beside the service in its data dir.
  const persisted = readdirSync(join(agent.dataDir, 'services')).map((f) => JSON.parse(readFileSync(join(agent.dataDir, 'services', f), 'utf8')) as { Service?: { ID?: string }; Token?: string });
  assert.equal(persisted.find((p) => p.Service?.ID === `tokenapp-${hostname()}`)?.Token, 'env-token-8c2f');
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit(20_000)).code, 0, cp.output);
  assert.match(cp.output, /loaded config: .*"token":"<redacted>"/);
  assert.doesNotMatch(cp.output, /config-token-5d1e|env-token-8c2f/);
});
