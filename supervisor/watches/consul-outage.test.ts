// Watches through a paused and a wiped agent, and stop() during a blocked query: real Consul.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consulWatchHarness, ready, svcWatch } from '../../testing/watches-harness.js';

const h = consulWatchHarness();
const { register, deregister, setup } = h;

test('agent paused, then wiped and restarted: no exception, the watch recovers and emits again', async () => {
  const { rec, watches } = setup([svcWatch('edge')]);
  try {
    await ready(watches, 'edge');
    await register('edge-1', 'edge', '10.0.2.1', 443);
    await rec.waitFor('watch.edge', 2);

    await h.agent.pause();
    await new Promise((r) => setTimeout(r, 1000));
    await h.agent.resume();
    await register('edge-2', 'edge', '10.0.2.2', 443);
    await rec.waitFor('watch.edge', 4);
    assert.deepEqual(rec.codes('watch.edge'), ['changed', 'healthy', 'changed', 'healthy']);

    // A wiped agent forgets both instances (its index starts over, lower than ours).
    await h.agent.restart({ wipe: true });
    await rec.waitFor('watch.edge', 6);
    assert.deepEqual(rec.codes('watch.edge').slice(4), ['changed', 'unhealthy']);
    await register('edge-3', 'edge', '10.0.2.3', 443);
    await rec.waitFor('watch.edge', 8);
    assert.deepEqual(rec.codes('watch.edge').slice(4), ['changed', 'unhealthy', 'changed', 'healthy']);
    assert.deepEqual(watches.get('edge')?.instances().map((i) => i.id), ['edge-3']);
  } finally {
    await watches.stop();
  }
  await deregister('edge-3');
});

test('stop() aborts a blocked query promptly and no event follows', { timeout: 20_000 }, async () => {
  const { rec, watches } = setup([svcWatch('quiet', 'quiet', {}, 10)]);
  await ready(watches, 'quiet');
  // The query is now blocked for up to 30 s; stop() must not wait for it (the test timeout would fail).
  await watches.stop();
  await register('quiet-1', 'quiet', '10.0.3.1', 80);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(rec.codes('watch.quiet'), []);
  await deregister('quiet-1');
});
