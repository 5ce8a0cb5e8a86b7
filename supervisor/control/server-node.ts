/** The control server on Node and Deno: node:http on the unix socket (see server.ts). */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
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

export async function startNodeControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
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
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
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
      });
      return stopping;
    },
  };
}
