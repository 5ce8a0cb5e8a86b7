import assert from 'node:assert/strict';
import { linkSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ControlClient } from './client.js';
import { ControlRequestError, ControlUnreachableError } from './errors.js';
import { RecordingHandlers } from '../../testing/recording-handlers.js';
import { startControlServer, type ControlServer } from './server.js';

const snapshot = { version: '9.9.9', maintenance: false, jobs: [], watches: [{ name: 'kv', kind: 'kv' as const, instances: [], keys: ['app/flags/a'] }] };

describe('control client round trip', () => {
  let dir: string;
  let server: ControlServer;
  let handlers: RecordingHandlers;
  let client: ControlClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-cli-'));
    handlers = new RecordingHandlers(snapshot, new Set(['app_hits']));
    server = await startControlServer({ socketPath: join(dir, 'c.socket'), handlers });
    client = new ControlClient(server.socketPath);
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends every command and gets the status back', async () => {
    await client.ping();
    await client.putEnv({ GREETING: 'hello world' });
    await client.putMetric({ app_hits: 2.5 });
    await client.setMaintenance(true);
    const status = await client.status();
    await client.setMaintenance(false);
    await client.reload();
    assert.deepEqual(status, { ...snapshot, maintenance: true });
    assert.deepEqual(handlers.calls, [
      { call: 'putEnv', vars: { GREETING: 'hello world' } },
      { call: 'putMetric', values: { app_hits: 2.5 } },
      { call: 'setMaintenance', on: true },
      { call: 'status' },
      { call: 'setMaintenance', on: false },
      { call: 'reload' },
    ]);
  });

  it('turns a non-2xx answer into ControlRequestError carrying the reason', async () => {
    await assert.rejects(client.putMetric({ other: 1 }), (err: unknown) => {
      assert.ok(err instanceof ControlRequestError);
      assert.equal(err.status, 422);
      assert.equal(err.message, '/v3/metric: 422 Unprocessable Entity: unknown metric other');
      return true;
    });
  });
});

describe('control client on an unusable socket', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ap-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the path when no socket exists', async () => {
    const path = join(dir, 'absent.socket');
    await assert.rejects(new ControlClient(path).ping(), (err: unknown) => {
      assert.ok(err instanceof ControlUnreachableError);
      assert.equal(err.message, `cannot reach the control socket ${path}: no such socket (is the supervisor running?)`);
      return true;
    });
  });

  it('reports a refused connection on a stale socket', async () => {
    const path = join(dir, 'stale.socket');
    const s = createServer();
    await new Promise<void>((r) => s.listen(path + '.tmp', () => r()));
    linkSync(path + '.tmp', path);
    await new Promise<void>((r) => s.close(() => r()));
    await assert.rejects(new ControlClient(path).reload(), new RegExp(`^ControlUnreachableError: cannot reach the control socket ${path}: connection refused`));
  });

  it('gives up after its timeout when nothing answers', async () => {
    const path = join(dir, 'mute.socket');
    const held: Socket[] = [];
    const mute = createServer((sock) => held.push(sock));
    await new Promise<void>((r) => mute.listen(path, () => r()));
    try {
      await assert.rejects(new ControlClient(path, 200).ping(), /cannot reach the control socket .*mute\.socket: no answer within 0\.2 s/);
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => mute.close(() => r()));
    }
  });
});
