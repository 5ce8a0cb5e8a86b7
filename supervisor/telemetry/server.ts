/**
 * The telemetry HTTP server: Prometheus text at `/metrics` and the supervisor status at `/status`,
 * on one address (resolved by the caller from `telemetry.interfaces`) and `telemetry.port`.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Registry } from 'prom-client';
import type { StatusSnapshot } from '../status/types.js';
import { after } from '../timers/timers.js';

export interface TelemetryServerOptions {
  /** The IP to listen on (never a wildcard chosen here). */
  address: string;
  /** 0 picks a free port (tests). */
  port: number;
  registry: Registry;
  status: () => StatusSnapshot | Promise<StatusSnapshot>;
}

export interface TelemetryServer {
  readonly address: string;
  /** The bound port. */
  readonly port: number;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: TelemetryServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  if (path !== '/metrics' && path !== '/status') {
    send(res, 404, 'text/plain; charset=utf-8', `${STATUS_CODES[404]}: no endpoint ${path}\n`, head);
    return;
  }
  if (method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', `${STATUS_CODES[405]}: ${path} requires GET, not ${method}\n`, false);
    return;
  }
  try {
    if (path === '/metrics') send(res, 200, opts.registry.contentType, await opts.registry.metrics(), head);
    else send(res, 200, 'application/json', JSON.stringify(await opts.status()) + '\n', head);
  } catch (err) {
    send(res, 500, 'text/plain; charset=utf-8', `${STATUS_CODES[500]}: ${String(err instanceof Error ? err.message : err).replace(/\s*\n\s*/g, ' ')}\n`, head);
  }
}

export function startTelemetryServer(opts: TelemetryServerOptions): Promise<TelemetryServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handle(req, res, opts);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(`telemetry: cannot listen on ${opts.address}:${opts.port}: ${err.code ?? err.message}`, { cause: err }));
    });
    server.listen({ host: opts.address, port: opts.port, exclusive: true }, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : opts.port;
      let stopping: Promise<void> | null = null;
      resolve({
        address: opts.address,
        port,
        stop() {
          // Scrapers keep connections alive: close idle ones now, cut the rest after a grace period.
          stopping ??= new Promise<void>((done) => {
            const cut = after(1000, () => {
              for (const s of sockets) s.destroy();
            });
            server.close(() => {
              cut.clear();
              done();
            });
            server.closeIdleConnections?.();
          });
          return stopping;
        },
      });
    });
  });
}
