import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { JobConfig, WhenConfig } from '../config/model.js';
import { EventBus, type SupervisorEvent } from '../events/bus.js';
import { Logger } from '../log/logger.js';
import { TempDir, until } from '../../testing/supervisor.js';
import { JobSet } from './job-set.js';

const startup: WhenConfig = { kind: 'event', sources: ['global'], event: 'startup', mode: 'once', timeoutMs: 0 };
function job(name: string, exec: string[] | undefined, extra: Partial<JobConfig> = {}): JobConfig {
  return { name, exec, timeoutMs: 0, stopTimeoutMs: 0, restarts: 0, when: startup, logging: { raw: false }, ...extra };
}

function harness(t: { after(fn: () => unknown): void }) {
  const bus = new EventBus();
  const events: SupervisorEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const lines: string[] = [];
  const log = new Logger({ level: 'DEBUG', format: 'text', output: 'stdout' }, { sink: { write: (l) => lines.push(l), reopen() {}, close() {} } });
  const set = new JobSet({ bus, log, killGraceMs: () => 2000 });
  t.after(async () => {
    await Promise.all(set.list().map((j) => j.stop()));
  });
  const seen = (code: string, source: string) => events.filter((e) => e.code === code && e.source === source).length;
  return { bus, events, lines, set, seen };
}

test('restarts: 3 means four runs, then the job completes (stopping, stopped)', async (t) => {
  const h = harness(t);
  h.set.add([job('coprocess', ['false'], { restarts: 3 })]);
  h.bus.publish({ code: 'startup', source: 'global' });
  await h.set.whenAllComplete();
  assert.equal(h.set.get('coprocess')!.runs, 4);
  assert.equal(h.set.get('coprocess')!.restarts, 3);
  assert.equal(h.seen('exitFailed', 'coprocess'), 4);
  await h.bus.idle();
  const order = h.events.filter((e) => e.source === 'coprocess').map((e) => e.code);
  assert.deepEqual(order.slice(-3), ['exitFailed', 'stopping', 'stopped']);
});

test('each: runs on every event; events during a run are coalesced into one more run', async (t) => {
  const h = harness(t);
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const each: WhenConfig = { kind: 'event', sources: ['watch.backend'], event: 'changed', mode: 'each', timeoutMs: 0 };
  h.set.add([job('onchange', ['sh', '-c', `echo run >> ${dir.path}/runs; sleep 0.3`], { when: each })]);
  h.bus.publish({ code: 'startup', source: 'global' });
  h.bus.publish({ code: 'changed', source: 'watch.backend' });
  await until(() => h.seen('exitSuccess', 'onchange') === 1, 10_000, 'first run');
  for (let i = 0; i < 3; i++) h.bus.publish({ code: 'changed', source: 'watch.backend' });
  await until(() => h.seen('exitSuccess', 'onchange') === 3, 10_000, 'two more runs');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(dir.lines('runs').length, 3, 'first event: 1 run; 3 events: 1 run + 1 coalesced rerun');
  assert.equal(h.set.get('onchange')!.phase, 'active', 'an each job waits for more events');
});

test('once with when.timeout: gives up, publishes timerExpired, completes without running', async (t) => {
  const h = harness(t);
  const w: WhenConfig = { kind: 'event', sources: ['never'], event: 'healthy', mode: 'once', timeoutMs: 150 };
  h.set.add([job('waiter', ['true'], { when: w })]);
  h.bus.publish({ code: 'startup', source: 'global' });
  await h.set.whenAllComplete();
  assert.equal(h.seen('timerExpired', 'waiter'), 1);
  assert.equal(h.set.get('waiter')!.runs, 0);
});

test('health: each check result is published and reported to the hook; a dependent starts once healthy', async (t) => {
  let healthy = false;
  const server = createServer((_req, res) => res.writeHead(healthy ? 200 : 500).end());
  const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
  t.after(() => server.close());
  const bus = new EventBus();
  const events: SupervisorEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const log = new Logger({ level: 'ERROR', format: 'text', output: 'stdout' }, { sink: { write() {}, reopen() {}, close() {} } });
  const checks: boolean[] = [];
  const set = new JobSet({ bus, log, killGraceMs: () => 2000, hooksFor: () => ({ onHealthCheck: (_j, passed) => checks.push(passed) }) });
  t.after(async () => void (await Promise.all(set.list().map((j) => j.stop()))));
  const health = { check: { kind: 'http' as const, url: `http://127.0.0.1:${port}/` }, intervalMs: 100, ttlMs: 1000, timeoutMs: 500 };
  set.add([
    job('app', ['sleep', '20'], { health }),
    job('after-healthy', ['true'], { when: { kind: 'event', sources: ['app'], event: 'healthy', mode: 'once', timeoutMs: 0 } }),
  ]);
  bus.publish({ code: 'startup', source: 'global' });
  await until(() => events.some((e) => e.code === 'unhealthy' && e.source === 'app'), 10_000, 'unhealthy');
  assert.equal(set.get('after-healthy')!.runs, 0);
  healthy = true;
  await until(() => set.get('after-healthy')!.phase === 'complete', 10_000, 'dependent ran');
  assert.equal(set.get('app')!.status, 'healthy');
  assert.ok(events.some((e) => e.code === 'exitSuccess' && e.source === 'check.app'));
  assert.ok(checks.includes(false) && checks.includes(true));
});

test('stop sequence: stopping, preStop runs to its end, SIGTERM, stopped, postStop', async (t) => {
  const h = harness(t);
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const log = `${dir.path}/order`;
  h.set.add([
    job('app', ['sh', '-c', `trap 'echo app-term >> ${log}; exit 0' TERM; while :; do sleep 0.05; done`]),
    job('preStop', ['sh', '-c', `sleep 0.3; echo prestop >> ${log}`], { when: { kind: 'event', sources: ['app'], event: 'stopping', mode: 'once', timeoutMs: 0 } }),
    job('postStop', ['sh', '-c', `echo poststop >> ${log}`], { when: { kind: 'event', sources: ['app'], event: 'stopped', mode: 'once', timeoutMs: 0 } }),
  ]);
  h.bus.publish({ code: 'startup', source: 'global' });
  await until(() => h.set.get('app')!.isRunning, 5000, 'app running');
  h.set.beginShutdown();
  h.bus.publish({ code: 'shutdown', source: 'global' });
  await h.set.whenAllComplete();
  assert.deepEqual(dir.lines('order'), ['prestop', 'app-term', 'poststop']);
});

test('shutdown completes a stop hook whose job already completed without it', async (t) => {
  const h = harness(t);
  h.set.add([
    job('app', ['sleep', '20']),
    job('preStop', ['true'], { when: { kind: 'event', sources: ['ghost'], event: 'stopping', mode: 'once', timeoutMs: 0 } }),
  ]);
  h.bus.publish({ code: 'startup', source: 'global' });
  await until(() => h.set.get('app')!.isRunning, 5000, 'app running');
  h.set.beginShutdown();
  h.bus.publish({ code: 'shutdown', source: 'global' });
  await h.set.whenAllComplete();
  assert.equal(h.set.get('preStop')!.runs, 0);
});

test('when with several sources: any of them starts the job', async (t) => {
  const h = harness(t);
  const w: WhenConfig = { kind: 'event', sources: ['watch.a', 'watch.b'], event: 'changed', mode: 'each', timeoutMs: 0 };
  h.set.add([job('render', ['true'], { when: w })]);
  h.bus.publish({ code: 'startup', source: 'global' });
  h.bus.publish({ code: 'changed', source: 'watch.b' });
  await until(() => h.seen('exitSuccess', 'render') === 1, 10_000, 'run for watch.b');
  h.bus.publish({ code: 'changed', source: 'watch.c' });
  h.bus.publish({ code: 'healthy', source: 'watch.a' });
  h.bus.publish({ code: 'changed', source: 'watch.a' });
  await until(() => h.seen('exitSuccess', 'render') === 2, 10_000, 'run for watch.a');
  await h.bus.idle();
  assert.equal(h.set.get('render')!.runs, 2);
});

test('when with all: true starts once every source has emitted the event, whatever else comes first', async (t) => {
  const h = harness(t);
  const w: WhenConfig = { kind: 'event', sources: ['watch.db', 'watch.cache'], event: 'healthy', mode: 'once', timeoutMs: 0, all: true };
  h.set.add([job('app', ['true'], { when: w })]);
  h.bus.publish({ code: 'startup', source: 'global' });
  h.bus.publish({ code: 'healthy', source: 'watch.db' });
  h.bus.publish({ code: 'healthy', source: 'watch.db' });
  h.bus.publish({ code: 'changed', source: 'watch.cache' });
  h.bus.publish({ code: 'unhealthy', source: 'watch.cache' });
  await h.bus.idle();
  assert.equal(h.set.get('app')!.runs, 0, 'started before watch.cache was healthy');
  assert.ok(h.lines.some((l) => l.includes('app: healthy from watch.db; waiting for watch.cache')), h.lines.join('\n'));
  h.bus.publish({ code: 'healthy', source: 'watch.cache' });
  await until(() => h.seen('exitSuccess', 'app') === 1, 10_000, 'app ran');
  await h.bus.idle();
  assert.equal(h.set.get('app')!.runs, 1);
});

test('maintenance pauses health checks; discovery hooks see start, maintenance and stop before SIGTERM', async (t) => {
  const bus = new EventBus();
  const log = new Logger({ level: 'ERROR', format: 'text', output: 'stdout' }, { sink: { write() {}, reopen() {}, close() {} } });
  const calls: string[] = [];
  const set = new JobSet({
    bus,
    log,
    killGraceMs: () => 2000,
    hooksFor: () => ({
      onStart: (j) => calls.push(`start:${j.pid !== undefined}`),
      onHealthCheck: (_j, passed) => calls.push(`check:${passed}`),
      onMaintenance: (_j, on) => calls.push(`maintenance:${on}`),
      onStop: (j) => void calls.push(`stop:running=${j.pid !== undefined}`),
    }),
  });
  t.after(async () => void (await Promise.all(set.list().map((j) => j.stop()))));
  const health = { check: { kind: 'exec' as const, exec: ['true'] }, intervalMs: 50, ttlMs: 1000, timeoutMs: 1000 };
  const [app] = set.add([job('app', ['sleep', '20'], { health })]);
  bus.publish({ code: 'startup', source: 'global' });
  await until(() => calls.includes('check:true'), 10_000, 'first check');
  bus.publish({ code: 'enterMaintenance', source: 'global' });
  await bus.idle();
  assert.equal(app!.status, 'maintenance');
  await new Promise((r) => setTimeout(r, 150)); // a check already running may still report
  const checksBefore = calls.filter((c) => c.startsWith('check')).length;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(calls.filter((c) => c.startsWith('check')).length, checksBefore, 'no checks in maintenance');
  bus.publish({ code: 'exitMaintenance', source: 'global' });
  await until(() => calls.filter((c) => c.startsWith('check')).length > checksBefore, 10_000, 'checks resume');
  await app!.stop();
  assert.deepEqual(calls.filter((c) => !c.startsWith('check')), ['start:true', 'maintenance:true', 'maintenance:false', 'stop:running=true']);
});
