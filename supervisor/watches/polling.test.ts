/**
 * `blocking: false` against a real Consul agent: a polling watch sends plain reads (index 0) and
 * sees a registration only with the first poll that starts after it; a blocking watch sees it
 * through the query that was already waiting. Asserted on the order of queries, registration
 * and events (a journal), never on timings.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consulAgentForFile } from '../../testing/consul-agent-file.js';
import { consulPut } from '../../testing/consul-agent.js';
import { Backoff } from '../discovery/retry-backoff.js';
import { ConsulClient } from '../discovery/client.js';
import { silentLogger } from '../discovery/log.js';
import { resolveConsulSettings } from '../discovery/settings.js';
import { EventBus } from '../events/bus.js';
import type { WatchConfig } from '../config/model.js';
import { startWatches, type WatchQueries } from './index.js';

type Entry = { kind: 'start'; n: number; index: bigint } | { kind: 'end'; n: number } | { kind: 'registered' } | { kind: 'event'; code: string };

let client: ConsulClient | undefined;
const file = consulAgentForFile({
  started: (agent) => {
    client = new ConsulClient(resolveConsulSettings(agent.address, {}), { requestTimeoutMs: 2000 });
  },
  stopping: () => client?.close(),
});

/** Runs one watch over a journaling client; `afterQuery()` resolves when the next answer arrived. */
function journaled(cfg: WatchConfig) {
  if (!client) throw new Error('the Consul agent is not started yet');
  const real = client;
  const journal: Entry[] = [];
  let waiters: Array<() => void> = [];
  let count = 0;
  const queries: WatchQueries = {
    healthService: async (q, b = {}) => {
      const n = ++count;
      journal.push({ kind: 'start', n, index: b.index ?? 0n });
      const result = await real.healthService(q, b);
      journal.push({ kind: 'end', n });
      const ready = waiters;
      waiters = [];
      for (const w of ready) w();
      return result;
    },
    kvGet: (q, b) => real.kvGet(q, b),
  };
  const bus = new EventBus();
  bus.subscribe((e) => journal.push({ kind: 'event', code: e.code }));
  const watches = startWatches([cfg], { client: queries, bus, log: silentLogger, waitMs: 30_000, backoff: () => new Backoff({ initialMs: 100, maxMs: 500 }) });
  const afterQuery = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within 15 s; journal: ${JSON.stringify(journal, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`)), 15_000);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  const changed = async () => {
    for (let i = 0; i < 300 && !journal.some((e) => e.kind === 'event' && e.code === 'changed'); i++) await new Promise((r) => setTimeout(r, 50));
    const at = journal.findIndex((e) => e.kind === 'event' && e.code === 'changed');
    assert.ok(at >= 0, 'the watch emitted changed');
    return at;
  };
  return { journal, watches, afterQuery, changed };
}

/** Journal position of the start of the query whose answer came last before position `at`. */
function startOfAnswerBefore(journal: Entry[], at: number): { pos: number; index: bigint } {
  const end = journal.slice(0, at).findLast((e) => e.kind === 'end');
  assert.ok(end && end.kind === 'end');
  const pos = journal.findIndex((e) => e.kind === 'start' && e.n === end.n);
  const start = journal[pos];
  assert.ok(start && start.kind === 'start');
  return { pos, index: start.index };
}

const register = (id: string, name: string) => consulPut(file.current(), '/v1/agent/service/register', { ID: id, Name: name, Address: '127.0.0.1', Port: 9100 });

test('a polling watch sends index-0 reads and sees a registration at its next poll, not before', { timeout: 40_000 }, async () => {
  const { journal, watches, afterQuery, changed } = journaled({ name: 'polled', target: { kind: 'service', service: 'polled' }, intervalMs: 2_000, blocking: false });
  try {
    // Right after an answer: the next poll is an interval away, so no read is in flight.
    await afterQuery();
    const answered = journal.length;
    await register('polled-1', 'polled');
    const registered = journal.push({ kind: 'registered' }) - 1;
    assert.ok(!journal.slice(answered, registered).some((e) => e.kind === 'start'), 'no poll started while the instance was being registered');
    const event = await changed();
    const cause = startOfAnswerBefore(journal, event);
    assert.ok(cause.pos > registered, 'the change came from a poll started after the registration');
    assert.equal(journal.slice(0, registered).filter((e) => e.kind === 'event').length, 0, 'no event before the registration');
    const starts = journal.filter((e) => e.kind === 'start');
    assert.ok(starts.length >= 2);
    assert.deepEqual(
      starts.map((e) => e.index),
      starts.map(() => 0n),
      'every query is a plain read (index 0)',
    );
    assert.deepEqual(watches.get('polled')?.instances().map((i) => i.id), ['polled-1']);
  } finally {
    await watches.stop();
  }
});

test('a blocking watch sees the same registration through the query already waiting', { timeout: 40_000 }, async () => {
  const { journal, watches, afterQuery, changed } = journaled({ name: 'blocked', target: { kind: 'service', service: 'blocked' }, intervalMs: 2_000 });
  try {
    await afterQuery(); // the first answer; the next query blocks with its index
    for (let i = 0; i < 200 && journal.filter((e) => e.kind === 'start').length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await register('blocked-1', 'blocked');
    const registered = journal.push({ kind: 'registered' }) - 1;
    const event = await changed();
    const cause = startOfAnswerBefore(journal, event);
    assert.ok(cause.pos < registered, 'the change came from the query that was waiting before the registration');
    assert.ok(cause.index > 0n, 'that query was a blocking one (index > 0)');
  } finally {
    await watches.stop();
  }
});
