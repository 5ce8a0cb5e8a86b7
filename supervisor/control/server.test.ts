import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ControlClient } from './client.js';
import { RejectedRequest } from '../../base/errors.js';
import type { ControlHandlers } from './handlers.js';
import { RecordingHandlers } from '../../testing/recording-handlers.js';
import { startControlServer, type ControlServer } from './server.js';
import type { StatusSnapshot } from '../status/types.js';

const snapshot: StatusSnapshot = {
  version: '1.2.3',
  maintenance: false,
  jobs: [{ name: 'app', state: 'running', health: 'healthy', restarts: 2, pid: 4242, service: { id: 'app-host', address: '10.0.0.5', port: 8080 } }],
  watches: [{ name: 'db', kind: 'service', instances: [{ id: 'db-1', address: '10.0.0.7', port: 27017 }] }],
};

describe('control server endpoints', () => {
  let dir: string;
  let server: ControlServer;
  let handlers: RecordingHandlers;
  let client: ControlClient;
  const counted: Array<[string, number]> = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-ctl-'));
    handlers = new RecordingHandlers(snapshot, new Set(['app_requests_total', 'app_queue_depth']));
    server = await startControlServer({ socketPath: join(dir, 'cp.socket'), handlers, onRequest: (p, s) => counted.push([p, s]) });
    client = new ControlClient(server.socketPath);
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens through Bun.serve on Bun (and the binary), node:http on Node and Deno', () => {
    assert.equal(server.kind, typeof (globalThis as { Bun?: unknown }).Bun === 'undefined' ? 'node' : 'bun');
  });

  it('GET /v3/ping answers 200 with an empty line', async () => {
    assert.deepEqual(await client.request('GET', '/v3/ping'), { status: 200, body: '\n' });
  });

  it('POST /v3/environ and its alias /v3/env hand string variables to putEnv', async () => {
    assert.deepEqual(await client.request('POST', '/v3/environ', '{"A":"1","B":"two words"}'), { status: 200, body: '\n' });
    assert.deepEqual(await client.request('POST', '/v3/env', '{"C":""}'), { status: 200, body: '\n' });
    assert.deepEqual(handlers.env, { A: '1', B: 'two words', C: '' });
  });

  it('POST /v3/reload calls reload', async () => {
    const before = handlers.calls.filter((c) => c.call === 'reload').length;
    assert.deepEqual(await client.request('POST', '/v3/reload'), { status: 200, body: '\n' });
    assert.equal(handlers.calls.filter((c) => c.call === 'reload').length, before + 1);
  });

  it('POST /v3/metric passes numbers, and numeric strings as ContainerPilot clients send them', async () => {
    assert.equal((await client.request('POST', '/v3/metric', '{"app_requests_total": 3, "app_queue_depth": "-1.5"}')).status, 200);
    assert.deepEqual(handlers.calls.at(-1), { call: 'putMetric', values: { app_requests_total: 3, app_queue_depth: -1.5 } });
  });

  it('POST /v3/maintenance/enable and /disable toggle maintenance, visible in /v3/status', async () => {
    assert.equal((await client.request('POST', '/v3/maintenance/enable')).status, 200);
    assert.equal((await client.status()).maintenance, true);
    assert.equal((await client.request('POST', '/v3/maintenance/disable')).status, 200);
    assert.equal((await client.status()).maintenance, false);
  });

  it('GET /v3/status answers the snapshot as JSON', async () => {
    const res = await client.request('GET', '/v3/status');
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), snapshot);
  });

  const bad: Array<[string, string, string | undefined, number, RegExp]> = [
    ['POST', '/v3/environ', '{not json', 422, /^Unprocessable Entity: body is not valid JSON .*expected a JSON object of string values/],
    ['POST', '/v3/environ', '', 422, /^Unprocessable Entity: body is not valid JSON/],
    ['POST', '/v3/environ', '["A=1"]', 422, /^Unprocessable Entity: body must be a JSON object of string values/],
    ['POST', '/v3/environ', '"A=1"', 422, /^Unprocessable Entity: body must be a JSON object/],
    ['POST', '/v3/environ', '{"A": 1}', 422, /^Unprocessable Entity: value of A must be a string, got number\n$/],
    ['POST', '/v3/env', '{"A": null}', 422, /value of A must be a string, got null/],
    ['POST', '/v3/environ', '{"A": {"x": "y"}}', 422, /value of A must be a string, got object/],
    ['POST', '/v3/environ', '{"A=B": "c"}', 422, /invalid environment variable name "A=B"/],
    ['POST', '/v3/environ', '{"": "c"}', 422, /invalid environment variable name ""/],
    ['POST', '/v3/metric', '{bad', 422, /body is not valid JSON.*numeric values/],
    ['POST', '/v3/metric', '[1]', 422, /body must be a JSON object of numeric values/],
    ['POST', '/v3/metric', '{}', 422, /must name at least one metric/],
    ['POST', '/v3/metric', '{"app_requests_total": "ten"}', 422, /value of metric app_requests_total must be a finite number, got "ten"/],
    ['POST', '/v3/metric', '{"app_requests_total": true}', 422, /must be a finite number, got true/],
    ['POST', '/v3/metric', '{"nope_total": 1}', 422, /^Unprocessable Entity: unknown metric nope_total\n$/],
    ['GET', '/v3/environ', undefined, 405, /^Method Not Allowed: \/v3\/environ requires POST, not GET\n$/],
    ['PUT', '/v3/reload', '{}', 405, /requires POST, not PUT/],
    ['GET', '/v3/metric', undefined, 405, /requires POST/],
    ['GET', '/v3/maintenance/enable', undefined, 405, /requires POST/],
    ['DELETE', '/v3/maintenance/disable', undefined, 405, /requires POST/],
    ['POST', '/v3/ping', '', 405, /\/v3\/ping requires GET, not POST/],
    ['POST', '/v3/status', '', 405, /\/v3\/status requires GET, not POST/],
    ['GET', '/v3/nothing', undefined, 404, /^Not Found: no endpoint \/v3\/nothing\n$/],
    ['POST', '/v2/reload', '', 404, /no endpoint \/v2\/reload/],
    ['GET', '/v3/ping/', undefined, 404, /no endpoint/],
  ];
  for (const [method, path, body, status, message] of bad) {
    it(`${method} ${path} ${JSON.stringify(body ?? null)} answers ${status} with a one-line reason`, async () => {
      const callsBefore = handlers.calls.length;
      const res = await client.request(method, path, body);
      assert.equal(res.status, status);
      assert.match(res.body, message);
      assert.equal(res.body.trimEnd().includes('\n'), false, 'one line');
      assert.ok(res.body.endsWith('\n'));
      assert.equal(handlers.calls.length, callsBefore, 'no handler ran');
    });
  }

  it('rejects a body over 1 MiB with 413', async () => {
    const res = await client.request('POST', '/v3/environ', JSON.stringify({ BIG: 'x'.repeat(1.5 * 1024 * 1024) }));
    assert.equal(res.status, 413);
    assert.match(res.body, /^Payload Too Large: body larger than 1048576 bytes\n$/);
  });

  it('serves concurrent requests, each answered and applied', async () => {
    const n = 40;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => (i % 2 === 0 ? client.request('POST', '/v3/environ', JSON.stringify({ [`CONC_${i}`]: String(i) })) : client.request('GET', '/v3/status'))),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array.from({ length: n }, () => 200),
    );
    for (let i = 0; i < n; i += 2) assert.equal(handlers.env[`CONC_${i}`], String(i));
  });

  it('reports each answered request on a known path with its status, and not unknown paths', async () => {
    counted.length = 0;
    await client.request('GET', '/v3/ping');
    await client.request('GET', '/v3/reload');
    await client.request('POST', '/v3/environ', 'x');
    await client.request('GET', '/v3/unknown');
    assert.deepEqual(counted, [
      ['/v3/ping', 200],
      ['/v3/reload', 405],
      ['/v3/environ', 422],
    ]);
  });
});

describe('control server handler failures', () => {
  it('answers 500 with the error for a failing handler, and the 4xx of a RejectedRequest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-ctl-'));
    const failing: ControlHandlers = {
      putEnv: () => {
        throw new RejectedRequest('PATH may not be changed', 403);
      },
      reload: async () => {
        throw new Error('config.json5:3:1: invalid character\nsecond line');
      },
      putMetric: () => undefined,
      setMaintenance: () => undefined,
      status: () => snapshot,
    };
    const logged: string[] = [];
    const server = await startControlServer({ socketPath: join(dir, 's'), handlers: failing, log: (level, m) => logged.push(`${level} ${m}`) });
    try {
      const client = new ControlClient(server.socketPath);
      assert.deepEqual(await client.request('POST', '/v3/reload'), { status: 500, body: 'Internal Server Error: config.json5:3:1: invalid character second line\n' });
      assert.deepEqual(await client.request('POST', '/v3/environ', '{"PATH":"/x"}'), { status: 403, body: 'Forbidden: PATH may not be changed\n' });
      assert.ok(logged.some((l) => l.startsWith('error control: POST /v3/reload failed: config.json5:3:1')));
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stop() cuts a request whose handler never settles, after a grace period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-ctl-'));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const hanging: ControlHandlers = {
      putEnv: () => undefined,
      reload: () => {
        entered();
        return new Promise<void>(() => undefined);
      },
      putMetric: () => undefined,
      setMaintenance: () => undefined,
      status: () => snapshot,
    };
    const server = await startControlServer({ socketPath: join(dir, 's'), handlers: hanging });
    try {
      const pending = new ControlClient(server.socketPath).reload();
      await inHandler;
      await server.stop();
      await assert.rejects(pending, /cannot reach the control socket .*: connection closed before an answer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
