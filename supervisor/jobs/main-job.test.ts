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
  // An alarm on a job's failure (each) or a stop hook does not make the job a preparation step.
  const alarm = job('alarm', { when: { kind: 'event', sources: ['server'], event: 'exitFailed', mode: 'each', timeoutMs: 0 } });
  assert.equal(mainJobName([job('server'), alarm, job('postStop', { when: after('server', 'stopped') })]), 'server');
});

test('without a port or a startup application: the job a preStart prepares, never a stop hook', () => {
  const preStart = job('preStart');
  const app = job('app', { when: after('preStart', 'exitSuccess') });
  assert.equal(mainJobName([preStart, app]), 'app');
  assert.equal(mainJobName([preStart, job('preStop', { when: after('app', 'stopping') }), app, job('postStop', { when: after('app', 'stopped') })]), 'app');
  assert.equal(mainJobName([preStart, job('cleanup', { when: after('global', 'shutdown') }), app]), 'app');
  // A job run on another's failure is a fallback: the failing job stays the application.
  assert.equal(mainJobName([job('a'), job('b', { when: after('a', 'exitSuccess') }), job('c', { when: after('b', 'exitFailed') })]), 'b');
});

test('fallback: the first job with an exec', () => {
  const each = job('onChange', { when: { kind: 'event', sources: ['watch.db'], event: 'changed', mode: 'each', timeoutMs: 0 } });
  assert.equal(mainJobName([job('reg', { exec: undefined }), job('tick', { when: { kind: 'interval', intervalMs: 1000 } }), each]), 'tick');
  // Every job is a preparation step of the next: the first one.
  assert.equal(mainJobName([job('a'), job('b', { when: after('a', 'exitSuccess') }), job('z', { exec: undefined, when: after('b', 'exitSuccess') })]), 'a');
  assert.equal(mainJobName([job('tick', { when: { kind: 'interval', intervalMs: 1000 } }), job('srv')]), 'srv');
  assert.equal(mainJobName([]), undefined);
});
