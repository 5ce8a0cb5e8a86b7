/** The control plane wired to telemetry as the app wires them: putmetric over the socket reaches /metrics. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ControlClient } from '../control/client.js';
import { startControlServer, type ControlServer } from '../control/server.js';
import type { StatusSnapshot } from '../status/types.js';
import { Telemetry, type TelemetryServer } from './index.js';
import { parsePrometheusText } from './prometheus-text.js';

const snapshot: StatusSnapshot = { version: '0.1.0', maintenance: false, jobs: [], watches: [] };

describe('control socket -> telemetry', () => {
  let dir: string;
  let telemetry: Telemetry;
  let http: TelemetryServer;
  let control: ControlServer;
  let client: ControlClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-tel-'));
    telemetry = new Telemetry({ port: 0, interfaces: [], tags: [], metrics: [{ namespace: 'tasks', subsystem: '', name: 'done_total', help: 'finished tasks', type: 'counter' }] });
    http = (await telemetry.start({ address: '127.0.0.1', port: 0, status: () => snapshot }))!;
    control = await startControlServer({
      socketPath: join(dir, 'cp.socket'),
      onRequest: (path, status) => telemetry.recorder.controlRequest(path, status),
      handlers: { putEnv: () => undefined, reload: () => undefined, putMetric: (v) => telemetry.putMetrics(v), setMaintenance: () => undefined, status: () => snapshot },
    });
    client = new ControlClient(control.socketPath);
  });
  after(async () => {
    await control.stop();
    await telemetry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies posted metrics, rejects unknown ones with 422, and counts the requests', async () => {
    await client.putMetric({ tasks_done_total: 4 });
    assert.equal((await client.request('POST', '/v3/metric', '{"tasks_done_total": "1"}')).status, 200);
    const rejected = await client.request('POST', '/v3/metric', '{"tasks_failed_total": 1}');
    assert.equal(rejected.status, 422);
    assert.equal(rejected.body, 'Unprocessable Entity: unknown metric tasks_failed_total (telemetry.metrics declares tasks_done_total)\n');
    await client.ping();
    const body = await (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
    const s = parsePrometheusText(body).samples;
    assert.equal(s.get('tasks_done_total'), 5);
    assert.equal(s.get('containerpilot_control_http_requests{code="200",path="/v3/metric"}'), 2);
    assert.equal(s.get('containerpilot_control_http_requests{code="422",path="/v3/metric"}'), 1);
    assert.equal(s.get('containerpilot_control_http_requests{code="200",path="/v3/ping"}'), 1);
  });
});
