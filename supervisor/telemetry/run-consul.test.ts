/**
 * ContainerPilot's integration test `test_telemetry`, re-enacted with our own config
 * (supervisor/config/testdata/v3/telemetry.json5) under a real `autopilot run` against a real
 * Consul agent: -putmetric,
 * /metrics with the built-in metrics the running app records, /status, the `containerpilot`
 * service passing in Consul while it runs and gone after the stop.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, test } from 'node:test';
import { consulGet, consulPut, startConsulAgent, type ConsulAgent, type HealthServiceEntry } from '../../testing/consul-agent.js';
import { cli, eventually } from '../../testing/consul-run.js';
import { freePort } from '../../testing/runtimes-process.js';
import { fixtureConfig, Supervisor, TempDir } from '../../testing/supervisor.js';

let agent: ConsulAgent;
let dir: TempDir;
let cp: Supervisor;
let config: string;
let telemetryPort: number;

async function portAvoiding(avoid: string[]): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (!avoid.some((a) => String(p).includes(a))) return p;
  }
}

before(async () => {
  agent = await startConsulAgent();
  dir = new TempDir();
  const appPort = await portAvoiding(['9191', '8500']);
  telemetryPort = await portAvoiding(['8500']);
  const server = dir.file('http-server.mjs', `import { createServer } from 'node:http';
const port = Number(process.argv[process.argv.indexOf('-p') + 1]);
createServer((_q, s) => s.end('ok')).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`);
  config = fixtureConfig(dir, 'telemetry.json5', {
    '8000': String(appPort),
    '9191': String(telemetryPort),
    'consul.service:8500': agent.address,
    '/opt/node/bin/node': process.execPath,
    '/opt/app/static-server.js': server,
    '/opt/app/probe.sh': dir.script('probe.sh', 'echo "probe $1"'),
    '{\n  consul:': `{\n  control: { socket: "${dir.path}/cp.socket" },\n  consul:`,
  });
  // The `inventory` its watch looks for.
  await consulPut(agent, '/v1/agent/service/register', { ID: 'inventory-1', Name: 'inventory', Address: '127.0.0.1', Port: 7000 });
  cp = new Supervisor(['run', '--config', config], { env: { CONTAINERPILOT: undefined } });
});

after(async () => {
  await cp?.dispose();
  await agent?.stop();
  dir?.dispose();
});

/** The `containerpilot` service as Consul shows it, once passing. */
function telemetryService(): Promise<HealthServiceEntry> {
  return eventually('containerpilot passing in Consul', async () => {
    const entries = await consulGet<HealthServiceEntry[]>(agent, '/v1/health/service/containerpilot?passing=true');
    return entries.length === 1 ? entries[0] : undefined;
  }, () => cp.output);
}

test('-putmetric, then /metrics holds it and the built-in metrics of the running app', async () => {
  const entry = await telemetryService();
  assert.equal(entry.Service.ID, `containerpilot-${hostname()}`);
  assert.equal(entry.Service.Port, telemetryPort);
  const base = `http://${entry.Service.Address}:${telemetryPort}`;

  const put = await cli(['-config', config, '-putmetric', 'shop_orders_placed_total=42']);
  assert.equal(put.code, 0, put.stderr);
  // Wait until the app has been checked, the probe re-run by its interval, and the watch answered.
  const text = await eventually('metrics of the running app', async () => {
    const t = await (await fetch(`${base}/metrics`)).text();
    return /containerpilot_job_restarts\{job="probe"\} [1-9]/.test(t) && /containerpilot_watch_instances\{service="inventory"\} 1$/m.test(t) ? t : undefined;
  }, () => cp.output);
  assert.match(text, /^shop_orders_placed_total 42$/m);
  assert.match(text, /^containerpilot_events\{code="startup",source="global"\} 1$/m);
  assert.match(text, /^containerpilot_events\{code="healthy",source="app"\} [1-9]\d*$/m);
  assert.match(text, /^containerpilot_control_http_requests\{code="200",path="\/v3\/metric"\} 1$/m);
  assert.match(text, /^containerpilot_health_check_duration_seconds_count\{job="app",result="passed"\} [1-9]\d*$/m);
  assert.match(text, /^containerpilot_health_check_duration_seconds_bucket\{le="\+Inf",job="app",result="passed"\} [1-9]\d*$/m);
  // The app never exited: no restarts recorded for it.
  assert.doesNotMatch(text, /containerpilot_job_restarts\{job="app"\}/);

  // /status: the app healthy (ContainerPilot's check.sh looks at the services' status).
  const status = (await (await fetch(`${base}/status`)).json()) as { jobs: Array<{ name: string; health: string }> };
  assert.equal(status.jobs.find((j) => j.name === 'app')?.health, 'healthy');

  // It listens only on the configured interface's address.
  if (entry.Service.Address !== '127.0.0.1') await assert.rejects(fetch(`http://127.0.0.1:${telemetryPort}/metrics`));
});

test('after the stop the containerpilot service is gone from the catalog', async () => {
  await telemetryService();
  cp.signal('SIGTERM');
  assert.equal((await cp.waitExit(20_000)).code, 0, cp.output);
  assert.deepEqual(await consulGet<unknown[]>(agent, '/v1/catalog/service/containerpilot'), []);
});
