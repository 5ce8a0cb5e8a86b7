/**
 * The stop order the swarm target's configs give an instance, run for real: `autopilot run` on
 * the generated hello config against a real Consul agent, SIGTERM to the supervisor (what Docker
 * sends PID 1 when swarm replaces the task). The service must be gone from Consul before the app
 * gets SIGTERM, and the container's Consul agent (a stand-in that records its signal) must still
 * run while the deregistration goes through it.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { findBlueprint } from '../../blueprints/index.js';
import { consulGet, startConsulAgent } from '../../testing/consul-agent.js';
import { cliPath } from '../../testing/paths.js';
import { Supervisor, TempDir, withControlSocket } from '../../testing/supervisor.js';
import { opsToFiles, released } from '../helpers.test.js';
import { parseJson5 } from '../json5-patch.js';
import { planNew } from '../plan-new.js';

type Job = { name: string; exec: unknown; port?: number; health?: { http?: string }; when?: { source?: unknown; once?: string } };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/** A process that appends `<name> <signal> <epoch ms>` to `log` when signalled, then exits; `port`: it also answers HTTP. */
const stub = (name: string, log: string, port?: number) => `
const fs = require('node:fs');
const record = (what) => fs.appendFileSync(${JSON.stringify(log)}, '${name} ' + what + ' ' + Date.now() + '\\n');
${port === undefined ? 'setInterval(() => {}, 1000);' : `const server = require('node:http').createServer((req, res) => res.end('ok')).listen(${port}, '127.0.0.1');`}
process.on('SIGTERM', () => { record('SIGTERM'); process.exit(0); });
`;

test('swarm target: on SIGTERM an instance leaves Consul (maintenance, then drain) before its app and its Consul agent get SIGTERM', async (t: TestContext) => {
  const agent = await startConsulAgent();
  const dir = new TempDir();
  t.after(async () => {
    await agent.stop();
    dir.dispose();
  });
  const files = opsToFiles(planNew({ blueprint: findBlueprint('hello-world')!, project: 'shop', supervisor: released('1.2.3'), target: 'swarm' }));
  const cfg = parseJson5(files['hello/containerpilot.json5']!, 'hello/containerpilot.json5') as { consul: string; jobs: Job[] };
  const jobs = new Map(cfg.jobs.map((j) => [j.name, j]));
  const drain = jobs.get('drain');
  assert.deepEqual(drain?.when, { source: ['hello', 'consul-agent'], once: 'stopping' });

  // The generated config as it is, but for where the app, the agent and Consul are.
  const port = await freePort();
  const signals = join(dir.path, 'signals.log');
  cfg.consul = agent.address;
  const hello = jobs.get('hello')!;
  hello.exec = [process.execPath, dir.file('app.js', stub('app', signals, port))];
  hello.port = port;
  hello.health!.http = `http://127.0.0.1:${port}/health`;
  jobs.get('consul-agent')!.exec = [process.execPath, dir.file('agent.js', stub('agent', signals))];
  const config = dir.file('containerpilot.json5', withControlSocket(JSON.stringify(cfg, null, 2), join(dir.path, 'cp.sock')));
  // The drain hook calls `autopilot ctl`, which finds the socket through $CONTAINERPILOT, as in the image.
  dir.script('autopilot', `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"`);
  const cp = new Supervisor(['run', '--config', config], { env: { CONTAINERPILOT: config, PATH: `${dir.path}:${process.env['PATH']}` } });
  t.after(() => cp.dispose());

  const registered = async () => Object.values(await consulGet<Record<string, { Service: string }>>(agent, '/v1/agent/services')).some((s) => s.Service === 'hello');
  for (let i = 0; i < 200 && !(await registered()); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(await registered(), `hello registered in Consul:\n${cp.output}`);

  cp.signal('SIGTERM');
  // Polled until the supervisor exits (bounded by its stop): the first time Consul no longer lists hello.
  let goneAt: number | undefined;
  let exited = false;
  void cp.exited.then(() => (exited = true));
  while (!exited && goneAt === undefined) {
    if (!(await registered())) goneAt = Date.now();
    else await new Promise((r) => setTimeout(r, 20));
  }
  const exit = await cp.waitExit(20_000);
  assert.equal(exit.code, 0, cp.output);
  assert.ok(goneAt !== undefined, `hello left Consul while the supervisor was stopping:\n${cp.output}`);
  const at = (who: string) => Number(dir.lines('signals.log').find((l) => l.startsWith(`${who} SIGTERM `))?.split(' ')[2]);
  const [app, agentStop] = [at('app'), at('agent')];
  assert.ok(Number.isFinite(app) && Number.isFinite(agentStop), `both got SIGTERM: ${dir.read('signals.log')}`);
  assert.ok(goneAt < app, `hello left Consul (${goneAt}) before the app got SIGTERM (${app})`);
  assert.ok(goneAt < agentStop, `hello left Consul (${goneAt}) before its Consul agent got SIGTERM (${agentStop})`);
  assert.match(cp.output, /entering maintenance: deregistering services/);
});
