// The loop's bookkeeping with a scripted query function; the same loop runs against a real
// Consul agent in consul.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../discovery/retry-backoff.js';
import { silentLogger, type Logger } from '../discovery/log.js';
import type { QueryResult } from '../discovery/client.js';
import { runQueryLoop } from './loop.js';

type Step = QueryResult<string> | Error;

function scripted(steps: Step[], controller: AbortController) {
  const indexes: bigint[] = [];
  const query = async (index: bigint, signal: AbortSignal): Promise<QueryResult<string>> => {
    indexes.push(index);
    const step = steps.shift();
    if (!step) {
      controller.abort();
      throw new Error('end of script');
    }
    if (signal.aborted) throw new Error('aborted');
    if (step instanceof Error) throw step;
    return step;
  };
  return { query, indexes };
}

test('passes the last index, resets when it goes backwards or is missing', { timeout: 20_000 }, async () => {
  const controller = new AbortController();
  const { query, indexes } = scripted(
    [
      { index: 10n, data: 'a' },
      { index: 12n, data: 'b' },
      { index: 5n, data: 'c' },
      { index: 6n, data: 'd' },
      { index: undefined, data: 'e' },
      { index: 0n, data: 'f' },
    ],
    controller,
  );
  const seen: string[] = [];
  await runQueryLoop({ label: 'watch.t', query, onData: (d) => seen.push(d), intervalMs: 0, signal: controller.signal, log: silentLogger });
  assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e', 'f']);
  assert.deepEqual(indexes, [0n, 10n, 12n, 0n, 6n, 0n, 0n]);
});

test('failures are retried with back-off, logged sparingly, and recovery is logged', { timeout: 20_000 }, async () => {
  const controller = new AbortController();
  const { query, indexes } = scripted(
    [{ index: 3n, data: 'a' }, new Error('connect ECONNREFUSED'), new Error('connect ECONNREFUSED'), new Error('connect ECONNREFUSED'), { index: 4n, data: 'b' }],
    controller,
  );
  const warns: string[] = [];
  const infos: string[] = [];
  const log: Logger = { ...silentLogger, warn: (m) => warns.push(m), info: (m) => infos.push(m) };
  const seen: string[] = [];
  await runQueryLoop({
    label: 'watch.t',
    query,
    onData: (d) => seen.push(d),
    intervalMs: 0,
    signal: controller.signal,
    log,
    backoff: new Backoff({ initialMs: 5, maxMs: 20 }),
  });
  assert.deepEqual(seen, ['a', 'b']);
  // After a failure the next query starts without an index (the agent may have lost its state).
  assert.deepEqual(indexes.slice(0, 5), [0n, 3n, 0n, 0n, 0n]);
  assert.equal(warns.length, 1, warns.join('\n'));
  assert.match(warns[0] ?? '', /^watch\.t: connect ECONNREFUSED$/);
  assert.deepEqual(infos, ['watch.t: Consul reachable again after 3 failures']);
});

test('a throwing consumer does not end the loop', { timeout: 20_000 }, async () => {
  const controller = new AbortController();
  const { query } = scripted([{ index: 1n, data: 'a' }, { index: 2n, data: 'b' }], controller);
  const seen: string[] = [];
  const errors: string[] = [];
  await runQueryLoop({
    label: 'watch.t',
    query,
    onData: (d) => {
      seen.push(d);
      if (d === 'a') throw new Error('boom');
    },
    intervalMs: 0,
    signal: controller.signal,
    log: { ...silentLogger, error: (m) => errors.push(m) },
  });
  assert.deepEqual(seen, ['a', 'b']);
  assert.deepEqual(errors, ['watch.t: boom']);
});

/** Runs the loop on a virtual clock; `answer(n)` gives the n-th (1-based) answer's index and duration. */
async function timedLoop(answer: (n: number) => { index?: bigint; tookMs: number }, intervalMs: number, queries: number) {
  const controller = new AbortController();
  let t = 0;
  const starts: number[] = [];
  const waits: number[] = [];
  const query = async (): Promise<QueryResult<string>> => {
    starts.push(t);
    const a = answer(starts.length);
    t += a.tookMs;
    if (starts.length === queries) controller.abort();
    return { index: a.index, data: '' };
  };
  await runQueryLoop({
    label: 'watch.t',
    query,
    onData: () => {},
    intervalMs,
    signal: controller.signal,
    log: silentLogger,
    now: () => t,
    sleep: async (ms) => {
      waits.push(ms);
      t += ms;
    },
  });
  return { starts, waits };
}

test('without a change, interval is the minimum time between query starts', { timeout: 20_000 }, async () => {
  // Same index every time (a blocking query that returned early, or a poll): rate-limited.
  const { starts, waits } = await timedLoop((n) => ({ index: 7n, tookMs: n === 2 ? 250 : 10 }), 100, 4);
  // The first answer is a change (0 -> 7): the second query follows closely.
  assert.deepEqual(starts, [0, 50, 300, 400]);
  assert.deepEqual(waits, [40, 90]);
});

test('answers without an index (no blocking) are polled once per interval', { timeout: 20_000 }, async () => {
  const { starts } = await timedLoop(() => ({ tookMs: 10 }), 100, 3);
  assert.deepEqual(starts, [0, 100, 200]);
});

test('a burst of changes is followed closely, not one step per interval', { timeout: 20_000 }, async () => {
  const { starts } = await timedLoop((n) => ({ index: BigInt(n), tookMs: 10 }), 3_000, 5);
  assert.deepEqual(starts, [0, 50, 100, 150, 200]);
});

test('during a long outage retries are never further apart than the interval (jitter aside)', async () => {
  const controller = new AbortController();
  let t = 0;
  const starts: number[] = [];
  const query = async (): Promise<QueryResult<string>> => {
    starts.push(t);
    if (starts.length === 12) controller.abort();
    throw new Error('connect ECONNREFUSED 127.0.0.1:8500');
  };
  await runQueryLoop({
    label: 'watch.t',
    query,
    onData: () => {},
    intervalMs: 5_000,
    signal: controller.signal,
    log: silentLogger,
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  });
  const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
  // The back-off (0.5 s, 1 s, 2 s, ...) stops growing at the 5 s interval (+-20 % jitter), so a
  // returning Consul is queried again within one interval.
  assert.equal(gaps.length, 11);
  assert.ok(gaps.every((g) => g >= 5_000 && g <= 6_000), `gaps: ${gaps.join(', ')}`);
});

test('stop ends the loop at once even when the query ignores its abort signal', { timeout: 20_000 }, async () => {
  const controller = new AbortController();
  let started = 0;
  // A query that never settles and never looks at the signal.
  const query = () => {
    started++;
    return new Promise<QueryResult<string>>(() => {});
  };
  const loop = runQueryLoop({ label: 'watch.t', query, onData: () => {}, intervalMs: 0, signal: controller.signal, log: silentLogger });
  await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  await loop; // would hang (and time the test out) if the loop waited for the query
  assert.equal(started, 1);
});

test('blocking: false polls: every query has index 0, starts one interval apart even after a change', { timeout: 20_000 }, async () => {
  const controller = new AbortController();
  let t = 0;
  const calls: Array<{ at: number; index: bigint }> = [];
  const waits: number[] = [];
  const seen: string[] = [];
  // Each answer brings a new index (a change every time), the case where blocking mode would
  // follow up 50 ms later; one answer takes longer than others.
  const query = async (index: bigint): Promise<QueryResult<string>> => {
    calls.push({ at: t, index });
    t += calls.length === 2 ? 400 : 10;
    if (calls.length === 4) controller.abort();
    return { index: BigInt(calls.length * 10), data: `d${calls.length}` };
  };
  await runQueryLoop({
    label: 'watch.t',
    query,
    onData: (d) => seen.push(d),
    intervalMs: 3_000,
    blocking: false,
    signal: controller.signal,
    log: silentLogger,
    now: () => t,
    sleep: async (ms) => {
      waits.push(ms);
      t += ms;
    },
  });
  assert.deepEqual(calls, [
    { at: 0, index: 0n },
    { at: 3_000, index: 0n },
    { at: 6_000, index: 0n },
    { at: 9_000, index: 0n },
  ]);
  assert.deepEqual(waits, [2_990, 2_600, 2_990]);
  assert.deepEqual(seen, ['d1', 'd2', 'd3']); // the 4th answer arrives after the abort
});

test('blocking: false after a failure: back-off, then polls again with index 0', { timeout: 20_000 }, async () => {
  const controller = new AbortController();
  const { query, indexes } = scripted([{ index: 3n, data: 'a' }, new Error('connect ECONNREFUSED'), { index: 4n, data: 'b' }, { index: 5n, data: 'c' }], controller);
  const seen: string[] = [];
  await runQueryLoop({
    label: 'watch.t',
    query,
    onData: (d) => seen.push(d),
    intervalMs: 1,
    blocking: false,
    signal: controller.signal,
    log: silentLogger,
    backoff: new Backoff({ initialMs: 1, maxMs: 2 }),
  });
  assert.deepEqual(seen, ['a', 'b', 'c']);
  assert.deepEqual(indexes, [0n, 0n, 0n, 0n, 0n]);
});
