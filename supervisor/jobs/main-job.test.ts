import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobConfig, WhenConfig } from '../config/model.js';
import { mainJobName } from './main-job.js';

const startup: WhenConfig = { kind: 'event', sources: ['global'], event: 'startup', mode: 'once', timeoutMs: 0 };
function job(name: string, extra: Partial<JobConfig> = {}): JobConfig {
  return { name, exec: ['true'], timeoutMs: 0, stopTimeoutMs: 0, restarts: 0, when: startup, logging: { raw: false }, ...extra };
}
const after = (source: string, event: string): WhenConfig => ({ kind: 'event', sources: [source], event, mode: 'once', timeoutMs: 0 });

test('the first job with an exec and a port is the main job', () => {
  const service = { port: 80, interfaces: [], tags: [], enableTagOverride: false };
  assert.equal(mainJobName([job('setup'), job('app', { service, when: after('setup', 'exitSuccess') }), job('web', { service })]), 'app');
  assert.equal(mainJobName([job('reg-only', { exec: undefined, service }), job('worker')]), 'worker');
});

test('without a port: the first startup job no other job waits on', () => {
  assert.equal(mainJobName([job('preStart'), job('app', { when: after('preStart', 'exitSuccess') }), job('server')]), 'server');
  assert.equal(mainJobName([job('preStart'), job('app', { when: after('preStart', 'exitSuccess') })]), 'preStart');
  assert.equal(mainJobName([job('tick', { when: { kind: 'interval', intervalMs: 1000 } }), job('srv')]), 'srv');
  assert.equal(mainJobName([]), undefined);
});
