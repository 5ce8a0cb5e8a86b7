import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import type { AppContext } from '../app/part-types.js';
import type { Config, TelemetryConfig } from '../config/model.js';
import { EventBus } from '../events/bus.js';
import { currentTelemetry } from './current.js';
import { TelemetryPart } from './part.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const telemetry = (port: number, name: string): TelemetryConfig => ({ port, interfaces: ['static:127.0.0.1'], tags: [], metrics: [{ namespace: 't', subsystem: '', name, help: name, type: 'gauge' }] });

describe('telemetry part', () => {
  it('serves on start, replaces the instance when a reload changes telemetry, and goes inert without it', async () => {
    const port = await freePort();
    let config = { jobs: [], watches: [], telemetry: telemetry(port, 'first') } as unknown as Config;
    const logged: string[] = [];
    const bus = new EventBus();
    const log = { debug() {}, info() {}, warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
    const ctx = { bus, log, config: () => config, jobs: () => [], reload: async () => undefined, shutdown: () => undefined } as unknown as AppContext;
    const part = new TelemetryPart();
    await part.start(ctx);
    try {
      currentTelemetry().putMetrics({ t_first: 1 });
      bus.publish({ code: 'startup', source: 'global' });
      await bus.idle();
      let text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(text, /^t_first 1$/m);
      assert.match(text, /^containerpilot_events\{code="startup",source="global"\} 1$/m);

      const sameInstance = part.current;
      await part.reload({ ...config });
      assert.equal(part.current, sameInstance, 'an unchanged telemetry block keeps the instance');

      config = { ...config, telemetry: telemetry(port, 'second') } as Config;
      await part.reload(config);
      assert.notEqual(part.current, sameInstance);
      currentTelemetry().putMetrics({ t_second: 2 });
      text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(text, /^t_second 2$/m);
      assert.doesNotMatch(text, /t_first/);

      config = { ...config, telemetry: undefined } as Config;
      await part.reload(config);
      assert.equal(part.current, null);
      assert.equal(currentTelemetry().enabled, false);
      await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`));
      assert.deepEqual(logged, []);
    } finally {
      await part.stop();
    }
  });

  it('logs, and runs on, when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const logged: string[] = [];
    const log = { debug() {}, info() {}, warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
    const config = { jobs: [], watches: [], telemetry: telemetry(port, 'x') } as unknown as Config;
    const part = new TelemetryPart();
    try {
      await part.start({ bus: new EventBus(), log, config: () => config, jobs: () => [], reload: async () => undefined, shutdown: () => undefined } as unknown as AppContext);
      assert.deepEqual(logged, [`telemetry: cannot listen on 127.0.0.1:${port}: EADDRINUSE; /metrics is not served`]);
      assert.equal(currentTelemetry().service()?.isHealthy(), false);
    } finally {
      await part.stop();
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
