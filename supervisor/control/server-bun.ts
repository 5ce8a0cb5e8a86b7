/**
 * The control server on Bun and the binary: Bun.serve on the unix socket (see server.ts). It
 * binds in well under a millisecond where node:http on Bun takes about three, and the jobs start
 * only once the socket exists.
 */
import { answer, MAX_BODY_BYTES } from './answer.js';
import type { ControlServer, ControlServerOptions } from './server-types.js';
import { claimControlSocket, type Listener } from './socket.js';
import { after } from '../timers/timers.js';

const STOP_GRACE_MS = 1000;

interface BunServer {
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}

interface BunServe {
  serve(opts: {
    unix: string;
    development: boolean;
    fetch(req: Request): Promise<Response>;
    error(err: Error): Response;
  }): BunServer;
}

/** The body as text, or null once it passes MAX_BODY_BYTES (the rest is read and dropped, so the client can finish sending and read the 413). */
async function readBody(req: Request): Promise<string | null> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size <= MAX_BODY_BYTES) chunks.push(value);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

export async function startBunControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const bun = (globalThis as unknown as { Bun: BunServe }).Bun;
  let server: BunServer | undefined;
  const listener: Listener = {
    listen(path) {
      server = bun.serve({
        unix: path,
        development: false,
        async fetch(req) {
          const method = req.method;
          const url = new URL(req.url);
          const a = await answer(method, url.pathname + url.search, () => readBody(req), opts);
          return new Response(method === 'HEAD' ? null : a.body, { status: a.status, headers: a.headers });
        },
        error(err) {
          opts.log?.('error', `control: ${String(err)}`);
          return new Response('Internal Server Error\n', { status: 500, headers: { Connection: 'close' } });
        },
      });
      return undefined;
    },
    get listening() {
      return server !== undefined;
    },
    async close() {
      await server?.stop(true);
      server = undefined;
    },
  };
  const claimed = await claimControlSocket(listener, opts.socketPath);
  let stopping: Promise<void> | null = null;
  return {
    socketPath: opts.socketPath,
    kind: 'bun',
    stop() {
      stopping ??= (async () => {
        // Unlink first so no new client finds us while open requests finish.
        claimed.release();
        const s = server!;
        let cut!: () => void;
        const graceOver = new Promise<void>((resolve) => (cut = resolve));
        const timer = after(STOP_GRACE_MS, cut);
        // Requests still open when the grace period ends are cut off.
        await Promise.race([Promise.resolve(s.stop(false)), graceOver.then(() => s.stop(true))]);
        timer.clear();
        server = undefined;
      })();
      return stopping;
    },
  };
}
