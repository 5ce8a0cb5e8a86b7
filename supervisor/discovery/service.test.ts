// Request ordering and coalescing with a recording stand-in for the three calls used; the same
// class runs against a real Consul agent in consul.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsulRequestError } from './errors.js';
import { silentLogger } from './log.js';
import { isLostCheck, registrationBody, ServiceRegistration, ttlString, type ServiceApi, type ServiceDefinition } from './service.js';

const def: ServiceDefinition = { name: 'web', id: 'web-h', address: '10.0.0.1', port: 80, tags: ['x'], ttlMs: 10_000, enableTagOverride: false };

function recordingApi(opts: { slow?: boolean; lostOnce?: boolean } = {}) {
  const calls: string[] = [];
  let release: (() => void) | null = null;
  let lost = opts.lostOnce ?? false;
  const gate = () => (opts.slow ? new Promise<void>((r) => (release = r)) : Promise.resolve());
  const api: ServiceApi = {
    registerService: async (b) => {
      calls.push(`register ${b.Check?.Status ?? '-'}`);
    },
    deregisterService: async (id) => {
      calls.push(`deregister ${id}`);
    },
    updateTtl: async (id, status, note) => {
      calls.push(`ttl ${status} ${note}`);
      await gate();
      if (lost) {
        lost = false;
        throw new ConsulRequestError('TTL', 404, 'HTTP 404', `Unknown check ID "${id}"`);
      }
    },
  };
  return { api, calls, release: () => (release as (() => void) | null)?.() };
}

test('registration body', () => {
  assert.deepEqual(registrationBody({ ...def, deregisterCriticalServiceAfter: '10m', enableTagOverride: true }, 'warning'), {
    ID: 'web-h',
    Name: 'web',
    Address: '10.0.0.1',
    Port: 80,
    Tags: ['x'],
    EnableTagOverride: true,
    Check: { CheckID: 'service:web-h', Name: "Service 'web' check", Notes: 'TTL for web set by autopilot', TTL: '10s', Status: 'warning', DeregisterCriticalServiceAfter: '10m' },
  });
  assert.equal(ttlString(1500), '1500ms');
});

test('lost-check answers', () => {
  assert.ok(isLostCheck(new ConsulRequestError('x', 404, '', 'Unknown check ID "service:a"')));
  assert.ok(isLostCheck(new ConsulRequestError('x', 500, '', 'CheckID "service:a" does not have associated TTL')));
  assert.ok(!isLostCheck(new ConsulRequestError('x', 500, '', 'rpc error')));
  assert.ok(!isLostCheck(new ConsulRequestError('x', 0, 'ECONNREFUSED', '')));
  assert.ok(!isLostCheck(new Error('x')));
});

test('first heartbeat registers; a lost check re-registers then repeats the heartbeat', async () => {
  const { api, calls } = recordingApi({ lostOnce: false });
  const svc = new ServiceRegistration(def, api, silentLogger);
  await svc.pass('ok');
  assert.deepEqual(calls, ['register passing', 'ttl passing ok']);
  const lost = recordingApi({ lostOnce: true });
  const svc2 = new ServiceRegistration(def, lost.api, silentLogger);
  await svc2.pass('one');
  assert.deepEqual(lost.calls, ['register passing', 'ttl passing one', 'register passing', 'ttl passing one']);
});

test('heartbeats queued behind a slow request collapse into the latest one', async () => {
  const r = recordingApi({ slow: true });
  const svc = new ServiceRegistration(def, r.api, silentLogger);
  const first = svc.pass('1');
  await new Promise((res) => setImmediate(res));
  const queued = [svc.pass('2'), svc.fail('3'), svc.pass('4')];
  await new Promise((res) => setImmediate(res));
  r.release();
  await first;
  await new Promise((res) => setImmediate(res));
  r.release();
  await Promise.all(queued);
  assert.deepEqual(r.calls, ['register passing', 'ttl passing 1', 'ttl passing 4']);
});

test('deregistration is not overtaken by an earlier heartbeat; close() silences later calls', async () => {
  const r = recordingApi();
  const svc = new ServiceRegistration(def, r.api, silentLogger);
  const p = svc.pass('a');
  const d = svc.deregister();
  await Promise.all([p, d]);
  await svc.close();
  await svc.pass('late');
  assert.equal(await svc.register(), false);
  assert.deepEqual(r.calls, ['register passing', 'ttl passing a', 'deregister web-h', 'deregister web-h']);
});

test('without a TTL the service is registered with no check', async () => {
  assert.equal(registrationBody({ ...def, ttlMs: 0 }, 'passing').Check, undefined);
  const r = recordingApi();
  const svc = new ServiceRegistration({ ...def, ttlMs: 0 }, r.api, silentLogger);
  await svc.pass();
  await svc.pass();
  assert.deepEqual(r.calls, ['register -'], 'registered once, no TTL updates');
});
