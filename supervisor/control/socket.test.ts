import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ControlSocketInUseError } from './errors.js';
import { RecordingHandlers } from '../../testing/recording-handlers.js';
import { startControlServer } from './server.js';
import { socketAnswers } from './socket.js';
import { ControlClient } from './client.js';

const snapshot = { version: 'test', maintenance: false, jobs: [], watches: [] };

function listenAt(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
}

/** A socket file nobody listens on, as a killed supervisor leaves behind. */
async function makeStaleSocket(path: string): Promise<void> {
  const server = createServer();
  await listenAt(server, path + '.live');
  linkSync(path + '.live', path);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(path + '.live', { force: true });
}

describe('control socket', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ap-sock-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is created owner-only (0600), answers, leaves no staging files and is removed on stop', async () => {
    const path = join(dir, 'a.socket');
    const server = await startControlServer({ socketPath: path, handlers: new RecordingHandlers(snapshot) });
    try {
      const st = statSync(path);
      assert.ok(st.isSocket());
      assert.equal(st.mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(dir), ['a.socket']);
      await new ControlClient(path).ping();
    } finally {
      await server.stop();
    }
    assert.equal(existsSync(path), false);
  });

  it('replaces a stale socket that nothing answers on', async () => {
    const path = join(dir, 'stale.socket');
    await makeStaleSocket(path);
    assert.ok(statSync(path).isSocket());
    assert.equal(await socketAnswers(path), false);
    const server = await startControlServer({ socketPath: path, handlers: new RecordingHandlers(snapshot) });
    try {
      await new ControlClient(path).ping();
      assert.equal(statSync(path).mode & 0o777, 0o600);
    } finally {
      await server.stop();
    }
  });

  it('refuses when another supervisor is live on the socket, and leaves it alone', async () => {
    const path = join(dir, 'live.socket');
    const first = await startControlServer({ socketPath: path, handlers: new RecordingHandlers(snapshot) });
    try {
      await assert.rejects(startControlServer({ socketPath: path, handlers: new RecordingHandlers(snapshot) }), (err: unknown) => {
        assert.ok(err instanceof ControlSocketInUseError);
        assert.match(err.message, /live\.socket is in use: another supervisor is running there/);
        return true;
      });
      await new ControlClient(path).ping();
      assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.live')), []);
    } finally {
      await first.stop();
    }
  });

  it('refuses a path that is a regular file and keeps the file', async () => {
    const path = join(dir, 'file.socket');
    writeFileSync(path, 'not a socket');
    await assert.rejects(startControlServer({ socketPath: path, handlers: new RecordingHandlers(snapshot) }), /file\.socket exists and is not a socket/);
    assert.ok(statSync(path).isFile());
  });

  it('names the socket path when its directory does not exist', async () => {
    const path = join(dir, 'missing', 'x.socket');
    await assert.rejects(startControlServer({ socketPath: path, handlers: new RecordingHandlers(snapshot) }), (err: Error) => {
      assert.ok(err.message.startsWith(`cannot create control socket ${path}: `), err.message);
      return true;
    });
  });

  it('does not remove a socket that another server claimed after us', async () => {
    const path = join(dir, 'taken.socket');
    const server = await startControlServer({ socketPath: path, handlers: new RecordingHandlers(snapshot) });
    rmSync(path);
    const other = createServer();
    await listenAt(other, path);
    try {
      await server.stop();
      assert.ok(existsSync(path));
      assert.equal(await socketAnswers(path), true);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});
