/**
 * The control server on Node and Deno: node:http on the unix socket (see server.ts). A plain
 * node:net server binds the socket, so it exists before the jobs start; node:http, about 5 ms of
 * Node's start, is loaded at the first connection, which is handed to it ('connection', as
 * node:http documents for injected connections).
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { answer, MAX_BODY_BYTES } from './answer.js';
import type { ControlServer, ControlServerOptions } from './server-types.js';
import { claimControlSocket, netListener } from './socket.js';
import { after } from '../timers/timers.js';

const STOP_GRACE_MS = 1000;

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.once('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.once('error', reject);
    // A client gone mid-body must not leave a partial body to act on, nor a pending promise.
    req.once('close', () => {
      if (!ended) reject(new Error('request closed before its body ended'));
    });
  });
}

/** The HTTP server the connections are handed to; its timeouts run as if it listened itself. */
function httpServer(opts: ControlServerOptions): Server {
  const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');
  const server = createServer((req, res) => {
    answer(req.method ?? 'GET', req.url ?? '/', () => readBody(req), opts).then(
      (a) => {
        if (res.headersSent) return;
        res.writeHead(a.status, a.headers);
        res.end(a.body);
      },
      (err: unknown) => {
        opts.log?.('error', `control: ${String(err)}`);
        res.destroy();
      },
    );
  });
  // 'listening' starts its request and headers timeouts (a slow client is cut off) and the
  // tracking that closeIdleConnections() reads; nothing else listens for it.
  server.emit('listening');
  return server;
}

export async function startNodeControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const sockets = new Set<Socket>();
  let http: Server | undefined;
  const server = createNetServer((s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    (http ??= httpServer(opts)).emit('connection', s);
  });
  const claimed = await claimControlSocket(netListener(server), opts.socketPath);
  let stopping: Promise<void> | null = null;
  return {
    socketPath: opts.socketPath,
    kind: 'node',
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        // Unlink first so no new client finds us while open requests finish.
        claimed.release();
        const cut = after(STOP_GRACE_MS, () => {
          for (const s of sockets) s.destroy();
        });
        server.close(() => {
          cut.clear();
          resolve();
        });
        // Not listening itself, it only stops its timeouts and closes the idle connections.
        http?.close();
      });
      return stopping;
    },
  };
}
