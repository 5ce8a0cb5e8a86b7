// Consul restarted with an empty catalog, paused and stopped: against a real Consul agent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startConsulAgent } from '../../testing/consul-agent.js';
import { Discovery } from './discovery.js';
import type { Logger } from './log.js';

type Agent = Awaited<ReturnType<typeof startConsulAgent>>;

const TOKEN = 'tok-7f3a9c51-never-logged';
let agent: Agent;
const lines: string[] = [];
const log: Logger = {
  debug: (m) => lines.push(`debug: ${m}`),
  info: (m) => lines.push(`info: ${m}`),
  warn: (m) => lines.push(`warn: ${m}`),
  error: (m) => lines.push(`error: ${m}`),
};

function base(): string {
  return agent.httpUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

async function get<T>(path: string): Promise<T> {
  const res = await fetch(`${base()}${path}`);
  assert.equal(res.status, 200, `GET ${path}`);
  return (await res.json()) as T;
}

type AgentService = { ID: string; Service: string; Address: string; Port: number; Tags: string[]; EnableTagOverride: boolean };
type HealthCheck = { CheckID: string; Name: string; Status: string; Output: string; ServiceID: string; Notes: string };

const services = () => get<Record<string, AgentService>>('/v1/agent/services');
const checks = () => get<Record<string, HealthCheck>>('/v1/agent/checks');

function discovery(extra: Partial<ConstructorParameters<typeof Discovery>[0]> = {}): Discovery {
  return new Discovery({ consul: agent.address, env: { CONSUL_HTTP_TOKEN: TOKEN }, log, hostname: 'testhost', requestTimeoutMs: 2000, ...extra });
}

const spec = (port: number, extra: Record<string, unknown> = {}) => ({
  port,
  interfaces: ['static:10.1.2.3'],
  tags: ['a', 'b'],
  ttlMs: 30_000,
  enableTagOverride: false,
  ...extra,
});

// Nothing may escape from the code under test, even while the agent is down.
const escaped: unknown[] = [];
const onEscape = (err: unknown) => escaped.push(err);
process.on('unhandledRejection', onEscape);
process.on('uncaughtException', onEscape);

before(async () => {
  agent = await startConsulAgent();
});

after(async () => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  await agent?.stop();
  assert.ok(!lines.some((l) => l.includes(TOKEN)), 'the token appeared in a log line');
  assert.deepEqual(escaped, [], 'no unhandled rejection or uncaught exception');
});

test('agent wiped and restarted: services come back within two heartbeats', async () => {
  const d = discovery();
  const svc = d.addService('wiped', spec(7000));
  await svc.pass();
  await agent.restart({ wipe: true });
  assert.equal((await services())['wiped-testhost'], undefined, 'the restarted agent lost the service');
  await svc.pass();
  if (!(await services())['wiped-testhost']) await svc.pass();
  assert.equal((await checks())['service:wiped-testhost']?.Status, 'passing');
  await d.close();
});

test('agent paused, then stopped: nothing throws, errors are logged sparingly, service recovers', async () => {
  const d = discovery({ requestTimeoutMs: 500 });
  const svc = d.addService('outage', spec(7100));
  await svc.pass();
  const before = lines.length;

  await agent.pause();
  try {
    for (let i = 0; i < 3; i++) await svc.pass(); // each times out; none rejects
  } finally {
    await agent.resume();
  }
  await agent.stop();
  try {
    for (let i = 0; i < 5; i++) await svc.pass();
    assert.equal(await svc.register(), false);
    await svc.deregister();
  } finally {
    await agent.restart({ wipe: false });
  }
  const during = lines.slice(before).filter((l) => l.startsWith('warn:'));
  // 10 failed calls; the log limiter reports the first and folds the rest into counts.
  assert.ok(during.length >= 1 && during.length < 10, `warnings during the outage:\n${during.join('\n')}`);
  assert.ok(svc.state().lastError, 'the last error is kept for status');

  await svc.pass('recovered');
  const c = (await checks())['service:outage-testhost'];
  assert.equal(c?.Status, 'passing');
  assert.equal(c?.Output, 'recovered');
  assert.ok(lines.slice(before).some((l) => /Consul reachable again after \d+ failures/.test(l)));
  await d.close();
});
