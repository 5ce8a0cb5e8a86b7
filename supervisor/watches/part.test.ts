// The watches part as the app drives it (start, reload, stop), against a real Consul agent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startConsulAgent } from '../../testing/consul-agent.js';
import type { AppContext } from '../app/part-types.js';
import type { Config, WatchConfig } from '../config/model.js';
import { EventBus, type SupervisorEvent } from '../events/bus.js';
import type { JobInfo } from '../jobs/types.js';
import type { LogWriter } from '../log/logger.js';
import { createPart } from './part.js';

type Agent = Awaited<ReturnType<typeof startConsulAgent>>;
let agent: Agent;
const log: LogWriter = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, with: () => log, enabled: () => false };

const watch = (name: string, service = name): WatchConfig => ({ name, target: { kind: 'service', service }, intervalMs: 20 });

function config(watches: WatchConfig[], consul = true): Config {
  return {
    consul: consul ? { address: agent.address, scheme: 'http' } : undefined,
    logging: { level: 'INFO', format: 'default', output: 'stderr' },
    stopTimeoutMs: 5000,
    control: { socket: '/nonexistent.sock' },
    jobs: [],
    watches,
  };
}

async function register(id: string, name: string, port: number): Promise<void> {
  const res = await fetch(`${agent.httpUrl}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ ID: id, Name: name, Address: '10.0.9.1', Port: port }) });
  assert.equal(res.status, 200);
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(cond(), `timed out waiting for: ${what}`);
}

before(async () => {
  agent = await startConsulAgent();
});

after(async () => {
  await agent?.stop();
});

test('no part without consul', () => {
  assert.equal(createPart(config([watch('a')], false)), undefined);
});

test('start, reload (kept, removed, added watches), stop', async () => {
  const bus = new EventBus();
  const events: SupervisorEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const codes = (source: string) => events.filter((e) => e.source === source).map((e) => e.code);
  let cfg = config([watch('keep'), watch('drop')]);
  const part = createPart(cfg, { waitMs: 10_000 });
  assert.ok(part);
  const ctx: AppContext = { bus, log, config: () => cfg, jobs: () => [] as JobInfo[], watches: () => [], reload: async () => {}, shutdown: () => {} };
  await part.start(ctx);
  await register('keep-1', 'keep', 1);
  await register('drop-1', 'drop', 1);
  await until('both watches saw their service', () => codes('watch.keep').length === 2 && codes('watch.drop').length === 2);
  const kept = part.list().find((w) => w.name === 'keep');

  cfg = config([watch('keep'), watch('added', 'keep')]);
  await part.reload(cfg);
  assert.equal(part.list().find((w) => w.name === 'keep'), kept, 'an unchanged watch keeps running');
  assert.deepEqual(part.list().map((w) => w.name).sort(), ['added', 'keep']);
  // The new watch sees the instance that already exists; the kept one has nothing new to say.
  await until('the added watch answered', () => codes('watch.added').length === 2);
  await register('drop-2', 'drop', 2);
  await register('keep-2', 'keep', 2);
  await until('the kept watch saw keep-2', () => codes('watch.keep').length === 4);
  await until('the added watch saw keep-2', () => codes('watch.added').length === 4);
  assert.deepEqual(codes('watch.keep'), ['changed', 'healthy', 'changed', 'healthy']);
  assert.deepEqual(codes('watch.drop'), ['changed', 'healthy'], 'a removed watch is silent');

  await part.stop();
  assert.deepEqual(part.list(), []);
  const before = events.length;
  await register('keep-3', 'keep', 3);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(events.length, before, 'nothing after stop');
});

test('reload: switching a watch to blocking: false replaces it; the same setting keeps it', async () => {
  const bus = new EventBus();
  let cfg = config([watch('mode')]);
  const part = createPart(cfg, { waitMs: 10_000 });
  assert.ok(part);
  const ctx: AppContext = { bus, log, config: () => cfg, jobs: () => [] as JobInfo[], watches: () => [], reload: async () => {}, shutdown: () => {} };
  await part.start(ctx);
  try {
    const blocking = part.list()[0];
    cfg = config([{ ...watch('mode'), blocking: false }]);
    await part.reload(cfg);
    const polling = part.list()[0];
    assert.notEqual(polling, blocking, 'a changed blocking setting starts a new watch');
    assert.equal(polling?.config.blocking, false);
    cfg = config([{ ...watch('mode'), blocking: false }]);
    await part.reload(cfg);
    assert.equal(part.list()[0], polling, 'an unchanged polling watch keeps running');
  } finally {
    await part.stop();
  }
});
