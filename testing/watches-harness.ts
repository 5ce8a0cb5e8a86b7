// Shared by the watch tests that run against a real Consul agent: one agent per test file,
// a client, helpers to register services, and an event recorder. Not a test file itself.
import assert from 'node:assert/strict';
import { consulAgentForFile, recordingLog } from './consul-agent-file.js';
import { Backoff } from '../supervisor/discovery/retry-backoff.js';
import { ConsulClient } from '../supervisor/discovery/client.js';
import { resolveConsulSettings } from '../supervisor/discovery/settings.js';
import { EventBus, type SupervisorEvent } from '../supervisor/events/bus.js';
import type { WatchConfig } from '../supervisor/config/model.js';
import { startWatches, type WatchSet } from '../supervisor/watches/index.js';

export interface Recorder {
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

export const svcWatch = (name: string, service = name, extra: { tag?: string; dc?: string } = {}, intervalMs = 50): WatchConfig => ({
  name,
  target: { kind: 'service', service, ...extra },
  intervalMs,
});

/** Waits until the watch has answered once, so later changes are measured from a blocked query. */
export async function ready(watches: WatchSet, name: string): Promise<void> {
  for (let i = 0; i < 400 && !watches.get(name)?.ready; i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(watches.get(name)?.ready, `watch ${name} answered`);
  await new Promise((r) => setTimeout(r, 100));
}

/** Starts an agent before the file's tests and stops it after; fails the file if anything escaped. */
export function consulWatchHarness() {
  const { lines, log } = recordingLog(false);
  let client: ConsulClient | undefined;
  const file = consulAgentForFile({
    started: (agent) => {
      client = new ConsulClient(resolveConsulSettings(agent.address, {}), { requestTimeoutMs: 2000 });
    },
    stopping: () => client?.close(),
  });
  async function put(path: string, body?: unknown): Promise<void> {
    const res = await fetch(`${file.base()}${path}`, { method: 'PUT', body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    assert.equal(res.status, 200, `PUT ${path}: ${await res.text()}`);
  }
  return {
    get agent() {
      return file.current();
    },
    lines,
    base: file.base,
    put,
    /** A check-less service counts as passing. */
    register: (id: string, name: string, address: string, port: number, tags: string[] = []) =>
      put('/v1/agent/service/register', { ID: id, Name: name, Address: address, Port: port, Tags: tags }),
    deregister: (id: string) => put(`/v1/agent/service/deregister/${id}`),
    setup(configs: WatchConfig[]): { bus: EventBus; rec: Recorder; watches: WatchSet } {
      const bus = new EventBus();
      const rec = recorder(bus);
      if (!client) throw new Error('the Consul agent is not started yet');
      const watches = startWatches(configs, { client, bus, log, waitMs: 30_000, backoff: () => new Backoff({ initialMs: 100, maxMs: 500 }) });
      return { bus, rec, watches };
    },
  };
}
