// Consul restarted with an empty catalog, paused and stopped: against a real Consul agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consulDiscoveryHarness, spec } from '../../testing/discovery-harness.js';

const h = consulDiscoveryHarness();
const { lines, services, checks, discovery } = h;

test('agent wiped and restarted: services come back within two heartbeats', async () => {
  const d = discovery();
  const svc = d.addService('wiped', spec(7000));
  await svc.pass();
  await h.agent.restart({ wipe: true });
  assert.equal((await services())['wiped-testhost'], undefined, 'the restarted agent lost the service');
  await svc.pass();
  if (!(await services())['wiped-testhost']) await svc.pass();
  assert.equal((await checks())['service:wiped-testhost']?.Status, 'passing');
  await d.close();
});

test('agent paused, then stopped: nothing throws, errors are logged sparingly, service recovers', async () => {
  const d = discovery({ requestTimeoutMs: 500 });
  const svc = d.addService('outage', spec(7100));
  await svc.pass();
  const before = lines.length;

  await h.agent.pause();
  try {
    for (let i = 0; i < 3; i++) await svc.pass(); // each times out; none rejects
  } finally {
    await h.agent.resume();
  }
  await h.agent.stop();
  try {
    for (let i = 0; i < 5; i++) await svc.pass();
    assert.equal(await svc.register(), false);
    await svc.deregister();
  } finally {
    await h.agent.restart({ wipe: false });
  }
  const during = lines.slice(before).filter((l) => l.startsWith('warn:'));
  // 10 failed calls; the log limiter reports the first and folds the rest into counts.
  assert.ok(during.length >= 1 && during.length < 10, `warnings during the outage:\n${during.join('\n')}`);
  assert.ok(svc.state().lastError, 'the last error is kept for status');

  await svc.pass('recovered');
  const c = (await checks())['service:outage-testhost'];
  assert.equal(c?.Status, 'passing');
  assert.equal(c?.Output, 'recovered');
  assert.ok(lines.slice(before).some((l) => /Consul reachable again after \d+ failures/.test(l)));
  await d.close();
});
