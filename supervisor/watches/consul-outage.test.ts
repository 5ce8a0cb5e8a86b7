// Watches through a paused and a wiped agent, and stop() during a blocked query: real Consul.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startConsulAgent } from '../../testing/consul-agent.js';
import { Backoff } from '../discovery/backoff.js';
import { ConsulClient } from '../discovery/client.js';
import { resolveConsulSettings } from '../discovery/settings.js';
import type { Logger } from '../discovery/log.js';
import { EventBus, type SupervisorEvent } from '../events/bus.js';
import type { WatchConfig } from '../config/model.js';
import { startWatches, type WatchSet } from './index.js';

type Agent = Awaited<ReturnType<typeof startConsulAgent>>;
let agent: Agent;
let client: ConsulClient;
const lines: string[] = [];
const log: Logger = {
  debug: () => {},
  info: (m) => lines.push(`info: ${m}`),
  warn: (m) => lines.push(`warn: ${m}`),
  error: (m) => lines.push(`error: ${m}`),
};

function base(): string {
  return agent.httpUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

async function put(path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${base()}${path}`, { method: 'PUT', body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  assert.equal(res.status, 200, `PUT ${path}: ${await res.text()}`);
}

/** A check-less service counts as passing. */
const register = (id: string, name: string, address: string, port: number, tags: string[] = []) =>
  put('/v1/agent/service/register', { ID: id, Name: name, Address: address, Port: port, Tags: tags });
const deregister = (id: string) => put(`/v1/agent/service/deregister/${id}`);

interface Recorder {
  events: SupervisorEvent[];
  /** Resolves once `n` events from `source` arrived (bounded by the test's timeout). */
  waitFor(source: string, n: number): Promise<SupervisorEvent[]>;
  codes(source: string): string[];
}

function recorder(bus: EventBus): Recorder {
  const events: SupervisorEvent[] = [];
  let wake: (() => void) | null = null;
  bus.subscribe((e) => {
    events.push(e);
    wake?.();
  });
  const of = (source: string) => events.filter((e) => e.source === source);
  return {
    events,
    codes: (source) => of(source).map((e) => e.code),
    async waitFor(source, n) {
      for (let i = 0; i < 10_000 && of(source).length < n; i++) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return of(source);
    },
  };
}

function setup(configs: WatchConfig[]): { bus: EventBus; rec: Recorder; watches: WatchSet } {
  const bus = new EventBus();
  const rec = recorder(bus);
  const watches = startWatches(configs, { client, bus, log, waitMs: 30_000, backoff: () => new Backoff({ initialMs: 100, maxMs: 500 }) });
  return { bus, rec, watches };
}

const svcWatch = (name: string, service = name, extra: { tag?: string; dc?: string } = {}, intervalMs = 50): WatchConfig => ({
  name,
  target: { kind: 'service', service, ...extra },
  intervalMs,
});

/** Waits until the watch has answered once, so later changes are measured from a blocked query. */
async function ready(watches: WatchSet, name: string): Promise<void> {
  for (let i = 0; i < 400 && !watches.get(name)?.ready; i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(watches.get(name)?.ready, `watch ${name} answered`);
  await new Promise((r) => setTimeout(r, 100));
}

// Nothing may escape from the code under test, even while the agent is down.
const escaped: unknown[] = [];
const onEscape = (err: unknown) => escaped.push(err);
process.on('unhandledRejection', onEscape);
process.on('uncaughtException', onEscape);

before(async () => {
  agent = await startConsulAgent();
  client = new ConsulClient(resolveConsulSettings(agent.address, {}), { requestTimeoutMs: 2000 });
});

after(async () => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  client?.close();
  await agent?.stop();
  assert.deepEqual(escaped, [], 'no unhandled rejection or uncaught exception');
});

test('agent paused, then wiped and restarted: no exception, the watch recovers and emits again', async () => {
  const { rec, watches } = setup([svcWatch('edge')]);
  try {
    await ready(watches, 'edge');
    await register('edge-1', 'edge', '10.0.2.1', 443);
    await rec.waitFor('watch.edge', 2);

    await agent.pause();
    await new Promise((r) => setTimeout(r, 1000));
    await agent.resume();
    await register('edge-2', 'edge', '10.0.2.2', 443);
    await rec.waitFor('watch.edge', 4);
    assert.deepEqual(rec.codes('watch.edge'), ['changed', 'healthy', 'changed', 'healthy']);

    // A wiped agent forgets both instances (its index starts over, lower than ours).
    await agent.restart({ wipe: true });
    await rec.waitFor('watch.edge', 6);
    assert.deepEqual(rec.codes('watch.edge').slice(4), ['changed', 'unhealthy']);
    await register('edge-3', 'edge', '10.0.2.3', 443);
    await rec.waitFor('watch.edge', 8);
    assert.deepEqual(rec.codes('watch.edge').slice(4), ['changed', 'unhealthy', 'changed', 'healthy']);
    assert.deepEqual(watches.get('edge')?.instances().map((i) => i.id), ['edge-3']);
  } finally {
    await watches.stop();
  }
  await deregister('edge-3');
});

test('stop() aborts a blocked query promptly and no event follows', { timeout: 20_000 }, async () => {
  const { rec, watches } = setup([svcWatch('quiet', 'quiet', {}, 10)]);
  await ready(watches, 'quiet');
  // The query is now blocked for up to 30 s; stop() must not wait for it (the test timeout would fail).
  await watches.stop();
  await register('quiet-1', 'quiet', '10.0.3.1', 80);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(rec.codes('watch.quiet'), []);
  await deregister('quiet-1');
});
