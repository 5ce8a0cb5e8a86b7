/**
 * One control request, whatever serves it (server-node.ts, server-bun.ts): the route, the method,
 * the body within its limit, the handler, and the answer ContainerPilot gives, as plain data.
 */
import { RejectedRequest } from '../../base/errors.js';
import type { ControlHandlers } from './handlers.js';
import { ROUTES } from './routes.js';

export const MAX_BODY_BYTES = 1 << 20;

export interface AnswerOptions {
  handlers: ControlHandlers;
  /** Called after each answered request to a known endpoint (telemetry counts them). */
  onRequest?: (path: string, status: number) => void;
  /** Diagnostics: failed handlers and rejected requests. */
  log?: (level: 'debug' | 'warn' | 'error', message: string) => void;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// The statuses this plane answers with, as Go's http.StatusText words them (node:http's table
// is not imported here: on Bun, loading node:http costs the start-up what the native server saves).
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  423: 'Locked',
  425: 'Too Early',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function text(status: number, body: string, headers: Record<string, string> = {}): Answer {
  return { status, body, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', ...headers } };
}

/** Error bodies keep Go's `http.Error` form (status text first) and add the reason on the same line. */
function error(status: number, reason: string, headers?: Record<string, string>): Answer {
  return text(status, `${STATUS_TEXT[status] ?? 'Error'}: ${oneLine(reason)}\n`, headers);
}

/**
 * Answers `method path`. `readBody` resolves with the body, or null when it is over
 * MAX_BODY_BYTES; it is called only for a known route and an allowed method.
 */
export async function answer(method: string, url: string, readBody: () => Promise<string | null>, opts: AnswerOptions): Promise<Answer> {
  const path = url.split('?')[0] ?? '/';
  const route = ROUTES.get(path);
  if (!route) return error(404, `no endpoint ${path}`);
  let status = 200;
  try {
    if (!route.methods.includes(method)) {
      status = 405;
      return error(405, `${path} requires ${route.methods[0]}, not ${method}`, { Allow: route.methods.join(', ') });
    }
    const body = await readBody();
    if (body === null) {
      status = 413;
      return error(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    }
    const result = await route.run(body, opts.handlers);
    if (result === null) return text(200, '\n');
    const json = JSON.stringify(result) + '\n';
    return { status: 200, body: method === 'HEAD' ? '' : json, headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(json)), Connection: 'close' } };
  } catch (err) {
    if (err instanceof RejectedRequest) {
      status = err.status;
      opts.log?.('debug', `control: ${method} ${path} rejected: ${err.message}`);
      return error(status, err.message);
    }
    status = 500;
    const msg = err instanceof Error ? err.message : String(err);
    opts.log?.('error', `control: ${method} ${path} failed: ${msg}`);
    return error(500, msg);
  } finally {
    opts.onRequest?.(path, status);
  }
}
