/**
 * The control plane: HTTP/1.1 on a unix socket (ContainerPilot v3's endpoints). Connections are
 * not kept alive (as in ContainerPilot), so stop() closes promptly; requests still running when
 * the grace period ends are cut off.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RejectedRequest } from '../../base/errors.js';
import { ControlSocketInUseError } from './errors.js';
import type { ControlHandlers } from './handlers.js';
import { ROUTES } from './routes.js';
import { listenOwnerOnly, type ClaimedSocket } from './socket.js';
import { after } from '../timers/timers.js';

const MAX_BODY_BYTES = 1 << 20;
const STOP_GRACE_MS = 1000;

export interface ControlServerOptions {
  socketPath: string;
  handlers: ControlHandlers;
  /** Called after each answered request to a known endpoint (telemetry counts them). */
  onRequest?: (path: string, status: number) => void;
  /** Diagnostics: failed handlers and rejected requests. */
  log?: (level: 'debug' | 'warn' | 'error', message: string) => void;
}

export interface ControlServer {
  readonly socketPath: string;
  /** Stops listening, finishes (or after a grace period, cuts) open requests, removes the socket. */
  stop(): Promise<void>;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
  res.end(text);
}

/** Error bodies keep Go's `http.Error` form (status text first) and add the reason on the same line. */
function sendError(res: ServerResponse, status: number, reason: string): void {
  sendText(res, status, `${STATUS_CODES[status] ?? 'Error'}: ${oneLine(reason)}\n`);
}

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

async function handle(req: IncomingMessage, res: ServerResponse, opts: ControlServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const route = ROUTES.get(path);
  if (!route) {
    sendError(res, 404, `no endpoint ${path}`);
    return;
  }
  const method = req.method ?? 'GET';
  let status = 200;
  try {
    if (!route.methods.includes(method)) {
      status = 405;
      res.setHeader('Allow', route.methods.join(', '));
      sendError(res, 405, `${path} requires ${route.methods[0]}, not ${method}`);
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      status = 413;
      sendError(res, 413, `body larger than ${MAX_BODY_BYTES} bytes`);
      return;
    }
    const result = await route.run(body, opts.handlers);
    if (result === null) sendText(res, 200, '\n');
    else {
      const json = JSON.stringify(result) + '\n';
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json), Connection: 'close' });
      res.end(method === 'HEAD' ? undefined : json);
    }
  } catch (err) {
    if (err instanceof RejectedRequest) {
      status = err.status;
      opts.log?.('debug', `control: ${method} ${path} rejected: ${err.message}`);
      sendError(res, status, err.message);
    } else {
      status = 500;
      const msg = err instanceof Error ? err.message : String(err);
      opts.log?.('error', `control: ${method} ${path} failed: ${msg}`);
      if (!res.headersSent) sendError(res, 500, msg);
    }
  } finally {
    opts.onRequest?.(path, status);
  }
}

/** Claims the socket and serves. Throws ControlSocketInUseError if another supervisor is live there. */
export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handle(req, res, opts).catch((err: unknown) => {
      opts.log?.('error', `control: ${String(err)}`);
      res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  let claimed: ClaimedSocket;
  try {
    claimed = await listenOwnerOnly(server, opts.socketPath);
  } catch (err) {
    if (err instanceof ControlSocketInUseError) throw err;
    throw new Error(`cannot create control socket ${opts.socketPath}: ${(err as Error).message}`, { cause: err });
  }
  let stopping: Promise<void> | null = null;
  return {
    socketPath: opts.socketPath,
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
