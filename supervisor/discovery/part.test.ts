// The discovery part as the app drives it (hooks, bus maintenance events, telemetry, stop),
// against a real Consul agent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startConsulAgent } from '../../testing/consul-agent.js';
import type { AppContext } from '../app/part-types.js';
import type { Config, JobConfig } from '../config/model.js';
import { EventBus } from '../events/bus.js';
import type { JobInfo } from '../jobs/types.js';
import type { LogWriter } from '../log/logger.js';
import { setCurrentTelemetry } from '../telemetry/current.js';
import { Telemetry } from '../telemetry/index.js';
import { createPart } from './part.js';

type Agent = Awaited<ReturnType<typeof startConsulAgent>>;
let agent: Agent;
const lines: string[] = [];
const log: LogWriter = {
  debug: () => {},
  info: (m) => lines.push(m),
  warn: (m) => lines.push(m),
  error: (m) => lines.push(m),
  with: () => log,
  enabled: () => true,
};

const job = (name: string, port?: number, initialStatus?: 'warning'): JobConfig =>
  ({
    name,
    exec: ['true'],
    timeoutMs: 0,
    stopTimeoutMs: 0,
    restarts: 0,
    when: { kind: 'event', sources: ['global'], event: 'startup', mode: 'once', timeoutMs: 0 },
    health: port ? { check: { kind: 'tcp', host: '127.0.0.1', port }, intervalMs: 1000, ttlMs: 30_000, timeoutMs: 1000 } : undefined,
    service: port ? { port, interfaces: ['static:10.1.2.3'], tags: ['t'], initialStatus, enableTagOverride: false } : undefined,
    logging: { raw: false },
  }) as JobConfig;

function config(jobs: JobConfig[], consul = true): Config {
  return {
    consul: consul ? { address: agent.address, scheme: 'http' } : undefined,
    logging: { level: 'INFO', format: 'default', output: 'stderr' },
    stopTimeoutMs: 5000,
    control: { socket: '/nonexistent.sock' },
    jobs,
    watches: [],
  };
}

function context(cfg: Config, bus = new EventBus()): AppContext {
  return { bus, log, config: () => cfg, jobs: () => [] as JobInfo[], watches: () => [], reload: async () => {}, shutdown: () => {} };
}

async function services(): Promise<Record<string, { Port: number; Address: string }>> {
  return (await (await fetch(`${agent.httpUrl}/v1/agent/services`)).json()) as Record<string, { Port: number; Address: string }>;
}

async function statusOf(checkId: string): Promise<string | undefined> {
  const all = (await (await fetch(`${agent.httpUrl}/v1/agent/checks`)).json()) as Record<string, { Status: string }>;
  return all[checkId]?.Status;
}

/** The token Consul persisted beside a service, or undefined while the file is not (yet) there. */
function persistedToken(serviceId: string): string | undefined {
  const dir = join(agent.dataDir, 'services');
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.tmp')) continue;
    try {
      const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { Service?: { ID?: string }; Token?: string };
      if (p.Service?.ID === serviceId) return p.Token;
    } catch {
      // renamed or replaced between the listing and the read: the next poll sees the new file
    }
  }
  return undefined;
}

/** Polls (bounded) until the condition holds; the hooks are fire-and-forget. */
async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

before(async () => {
  agent = await startConsulAgent();
});

after(async () => {
  setCurrentTelemetry(null);
  await agent?.stop();
});

test('no part without consul', () => {
  assert.equal(createPart(config([job('web', 80)], false)), undefined);
});

test('job hooks: start with initial status, heartbeat, maintenance events, stop', async () => {
  const web = job('web-app', 8080, 'warning');
  const cfg = config([web, job('task')]);
  const part = createPart(cfg, { hostname: 'parthost' });
  assert.ok(part);
  const bus = new EventBus();
  await part.start(context(cfg, bus));
  assert.equal(process.env['CONTAINERPILOT_WEB_APP_IP'], '10.1.2.3');
  assert.equal(part.hooksFor(job('task')), undefined, 'no hooks for a job without a port');

  const hooks = part.hooksFor(web);
  assert.ok(hooks);
  const info = { name: 'web-app', config: web, status: 'unknown', pid: undefined } as JobInfo;
  hooks.onStart?.(info);
  await until('registered with the initial status', async () => (await statusOf('service:web-app-parthost')) === 'warning');
  hooks.onHealthCheck?.(info, true);
  await until('passing', async () => (await statusOf('service:web-app-parthost')) === 'passing');
  hooks.onHealthCheck?.(info, false);

  bus.publish({ code: 'enterMaintenance', source: 'global' });
  await until('deregistered in maintenance', async () => (await services())['web-app-parthost'] === undefined);
  hooks.onHealthCheck?.(info, true);
  bus.publish({ code: 'exitMaintenance', source: 'global' });
  await until('registered again', async () => (await services())['web-app-parthost'] !== undefined);

  await hooks.onStop?.(info);
  assert.equal((await services())['web-app-parthost'], undefined);
  await part.stop();
});

test('a reload that changes consul re-advertises through the new settings', async () => {
  const web = job('tok', 8081);
  const cfg = config([web]);
  const part = createPart(cfg, { hostname: 'reloadhost', env: {} });
  assert.ok(part);
  await part.start(context(cfg));
  const hooks = part.hooksFor(web);
  const info = { name: 'tok', config: web, status: 'unknown', pid: undefined } as JobInfo;
  hooks?.onHealthCheck?.(info, true);
  await until('registered', async () => (await statusOf('service:tok-reloadhost')) === 'passing');
  await part.reload({ ...cfg, consul: { address: agent.address, scheme: 'http', token: 'tok-after-reload' } });
  assert.equal((await services())['tok-reloadhost'], undefined, 'left through the old settings');
  hooks?.onHealthCheck?.(info, true);
  await until('registered again', async () => (await statusOf('service:tok-reloadhost')) === 'passing');
  // Consul keeps the registering token beside the service: the new one was used. It writes that
  // file after the service answers, through a temporary file renamed into place, so poll for it.
  await until('persisted with the new token', async () => persistedToken('tok-reloadhost') === 'tok-after-reload');
  await part.stop();
  assert.equal((await services())['tok-reloadhost'], undefined);
});

test('the telemetry endpoint is advertised as containerpilot while it listens', async () => {
  const cfg = config([]);
  const telemetry = new Telemetry({ port: 0, interfaces: ['static:127.0.0.1'], tags: ['metrics'], metrics: [] }, '9.9.9');
  await telemetry.start({ address: '127.0.0.1', port: 0, status: () => ({}) as never });
  setCurrentTelemetry(telemetry);
  const part = createPart(cfg, { hostname: 'telhost', telemetryHeartbeatMs: 50 });
  assert.ok(part);
  await part.start(context(cfg));
  try {
    await until('containerpilot registered and passing', async () => (await statusOf('service:containerpilot-telhost')) === 'passing');
    const s = (await services())['containerpilot-telhost'];
    assert.equal(s?.Port, telemetry.service()?.port);
    assert.equal(s?.Address, '127.0.0.1');
    setCurrentTelemetry(null); // a reload switched telemetry off
    await until('containerpilot deregistered', async () => (await services())['containerpilot-telhost'] === undefined);
    setCurrentTelemetry(telemetry);
    await until('containerpilot back', async () => (await statusOf('service:containerpilot-telhost')) === 'passing');
  } finally {
    await part.stop();
    await telemetry.stop();
    setCurrentTelemetry(null);
  }
  assert.equal((await services())['containerpilot-telhost'], undefined, 'stop deregisters it');
});
