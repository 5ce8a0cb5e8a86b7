// Watches against small real HTTP servers on loopback that answer as a broken Consul (or a
// proxy in its place) does: each misbehaviour costs a bounded number of queries over a window,
// one log line naming it, and no false event.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConsulClient } from '../discovery/client.js';
import { MisbehavingConsul, type Misbehaviour } from '../../testing/misbehaving-consul.js';
import { resolveConsulSettings } from '../discovery/settings.js';
import type { SupervisorEvent } from '../events/bus.js';
import { sleep } from '../timers/timers.js';
import { Watch } from './watch.js';

const WINDOW_MS = 3_000;
const INTERVAL_MS = 1_000;

interface Outcome {
  mode: Misbehaviour;
  requests: number;
  lines: string[];
  events: string[];
}

async function watchFor(mode: Misbehaviour, kind: 'service' | 'kv'): Promise<Outcome> {
  const server = new MisbehavingConsul(mode);
  const client = new ConsulClient(resolveConsulSettings(await server.address(), {}));
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level}: ${m}`);
  const events: SupervisorEvent[] = [];
  const target = kind === 'service' ? { kind: 'service' as const, service: 'web' } : { kind: 'kv' as const, key: 'app/flag', prefix: false };
  const watch = new Watch({ name: 'web', target, intervalMs: INTERVAL_MS }, { client, bus: { publish: (e) => events.push(e) }, log: { debug: () => {}, info: push('info'), warn: push('warn'), error: push('error') }, waitMs: 2_000 });
  watch.start();
  const start = await server.firstRequest();
  await sleep(start + WINDOW_MS - Date.now());
  await watch.stop();
  client.close();
  await server.close();
  return { mode, requests: server.countSince(start), lines, events: events.map((e) => e.code) };
}

const expectations: { mode: Misbehaviour; line: RegExp; events: string[] }[] = [
  { mode: 'index-zero', line: /^warn: watch\.web: Consul answered X-Consul-Index 0 \(a Consul bug/, events: ['changed', 'healthy'] },
  { mode: 'index-backwards', line: /^warn: watch\.web: Consul's index went backwards .*asked with 1000, answered 999/, events: ['changed', 'healthy'] },
  { mode: 'status-500', line: /^warn: watch\.web: consul health web: Consul answered 500: rpc error making call: No cluster leader$/, events: [] },
  { mode: 'html-502', line: /^warn: watch\.web: consul health web: Consul answered 502: 502 Bad Gateway \(an HTML page\)$/, events: [] },
  { mode: 'html-200', line: /^warn: watch\.web: consul health web: Consul answered 200 with text\/html, not JSON: 502 Bad Gateway \(an HTML page\)$/, events: [] },
  { mode: 'json-wrong-shape', line: /^warn: watch\.web: consul health web: Consul answered 200 with JSON of the wrong shape: expected a list of health entries, got an object$/, events: [] },
  { mode: 'json-invalid', line: /^warn: watch\.web: consul health web: Consul answered 200 with a body that is not JSON \(application\/json\): 502 Bad Gateway \(an HTML page\)$/, events: [] },
];

test('a misbehaving Consul: bounded queries (interval 1 s, 3 s window), one log line naming the fault, no false event', { timeout: 30_000 }, async () => {
  const outcomes = await Promise.all(expectations.map((e) => watchFor(e.mode, 'service')));
  for (const [i, o] of outcomes.entries()) {
    const e = expectations[i]!;
    const report = `${o.mode}: ${o.requests} requests\n${o.lines.join('\n')}`;
    // A query at once, then at most one per back-off step or interval (jitter aside): before
    // the fix, index 0 made about 60 in this window.
    assert.ok(o.requests >= 2 && o.requests <= 5, report);
    assert.equal(o.lines.length, 1, report);
    assert.match(o.lines[0]!, e.line, report);
    assert.deepEqual(o.events, e.events, report);
  }
});

test('a KV watch: an HTML page is a failure named as such, not "the key is gone"', { timeout: 30_000 }, async () => {
  const o = await watchFor('html-200', 'kv');
  assert.deepEqual(o.events, []);
  assert.equal(o.lines.length, 1, o.lines.join('\n'));
  assert.match(o.lines[0]!, /^warn: watch\.web: consul kv app\/flag: Consul answered 200 with text\/html, not JSON: 502 Bad Gateway \(an HTML page\)$/);
  assert.ok(o.requests <= 5, `${o.requests} requests`);
});
