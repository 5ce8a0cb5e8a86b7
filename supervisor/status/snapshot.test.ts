import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import type { Config, JobConfig } from '../config/model.js';
import { EventBus } from '../events/bus.js';
import type { JobInfo } from '../jobs/types.js';
import { buildStatus, followMaintenance, type StatusContext } from './snapshot.js';

const job = (name: string, extra: Partial<JobConfig> = {}): JobConfig => ({
  name,
  exec: ['true'],
  timeoutMs: 0,
  stopTimeoutMs: 0,
  restarts: 0,
  when: { kind: 'event', sources: ['global'], event: 'startup', mode: 'once', timeoutMs: 0 },
  logging: { raw: false },
  ...extra,
});

const health = { check: { kind: 'tcp' as const, host: '127.0.0.1', port: 1 }, intervalMs: 1000, ttlMs: 2000, timeoutMs: 1000 };
const config = {
  watches: [
    { name: 'db', target: { kind: 'service', service: 'mongo' }, intervalMs: 1000 },
    { name: 'flags', target: { kind: 'kv', key: 'app/flags', prefix: true }, intervalMs: 1000 },
  ],
} as unknown as Config;

function context(jobs: JobInfo[], watches: StatusContext['watches'] = () => []): StatusContext {
  return { bus: new EventBus(), log: undefined as never, config: () => config, jobs: () => jobs, watches, reload: async () => undefined, shutdown: () => undefined };
}

describe('status snapshot', () => {
  it('maps job status to state and health, with the service and restart count when known', () => {
    const jobs: JobInfo[] = [
      { name: 'web', config: job('web', { health, service: { port: 80, interfaces: ['static:10.9.8.7'], tags: [], enableTagOverride: false } }), status: 'healthy', pid: 10, restarts: 4 },
      { name: 'worker', config: job('worker', { health }), status: 'unknown', pid: undefined },
      { name: 'setup', config: job('setup'), status: 'completed', pid: undefined },
      { name: 'later', config: job('later'), status: 'idle', pid: undefined },
      { name: 'svc', config: job('svc', { exec: undefined, health }), status: 'unhealthy', pid: undefined },
      { name: 'm', config: job('m', { health }), status: 'maintenance', pid: undefined },
    ];
    const s = buildStatus(context(jobs), false, '1.0.0');
    assert.deepEqual(s.jobs, [
      { name: 'web', state: 'running', health: 'healthy', restarts: 4, pid: 10, service: { id: `web-${hostname()}`, address: '10.9.8.7', port: 80 } },
      { name: 'worker', state: 'waiting', health: 'unknown', restarts: 0, pid: null },
      { name: 'setup', state: 'completed', health: 'none', restarts: 0, pid: null },
      { name: 'later', state: 'idle', health: 'none', restarts: 0, pid: null },
      { name: 'svc', state: 'active', health: 'unhealthy', restarts: 0, pid: null },
      { name: 'm', state: 'maintenance', health: 'unknown', restarts: 0, pid: null },
    ]);
  });

  it('lists the running watches with their instances', () => {
    assert.deepEqual(buildStatus(context([]), false, 'v').watches, []);
    const live = [{ name: 'db', config: config.watches[0]!, instances: () => [{ id: 'mongo-1', address: '10.0.0.2', port: 27017 }] }];
    assert.deepEqual(buildStatus(context([], () => live), true, 'v'), { version: 'v', maintenance: true, jobs: [], watches: [{ name: 'db', kind: 'service', instances: [{ id: 'mongo-1', address: '10.0.0.2', port: 27017 }] }] });
  });

  it('follows maintenance events from global only', async () => {
    const bus = new EventBus();
    const m = followMaintenance(bus);
    bus.publish({ code: 'enterMaintenance', source: 'global' });
    await bus.idle();
    assert.equal(m.on, true);
    bus.publish({ code: 'exitMaintenance', source: 'app' });
    await bus.idle();
    assert.equal(m.on, true);
    bus.publish({ code: 'exitMaintenance', source: 'global' });
    await bus.idle();
    assert.equal(m.on, false);
    m.stop();
    bus.publish({ code: 'enterMaintenance', source: 'global' });
    await bus.idle();
    assert.equal(m.on, false);
  });
});
