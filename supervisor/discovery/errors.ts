/**
 * Errors from Consul calls, reduced to what is safe and useful to log: the operation, the HTTP
 * status and Consul's own message. The underlying client's error objects carry the request
 * (headers included, so the ACL token): they are never logged or rethrown as they are.
 */

export class ConsulRequestError extends Error {
  /** HTTP status, or 0 when no response arrived (connection refused, timeout, abort). */
  readonly statusCode: number;
  /** Consul's response body text (trimmed, bounded), '' when none. */
  readonly body: string;
  readonly aborted: boolean;

  constructor(operation: string, statusCode: number, detail: string, body: string, aborted = false) {
    super(`consul ${operation}: ${detail}`);
    this.name = 'ConsulRequestError';
    this.statusCode = statusCode;
    this.body = body;
    this.aborted = aborted;
  }
}

interface RawClientError {
  message?: unknown;
  code?: unknown;
  isAbort?: unknown;
  isTimeout?: unknown;
  response?: { statusCode?: unknown; body?: unknown };
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  try {
    return JSON.stringify(body);
  } catch {
    return '';
  }
}

/** Replaces every occurrence of the secret in text (no-op without a secret). */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('[redacted]');
}

/** Converts whatever the client threw into a ConsulRequestError whose text never holds the token. */
export function toConsulError(operation: string, err: unknown, token: string | undefined): ConsulRequestError {
  if (err instanceof ConsulRequestError) return err;
  const raw = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as RawClientError;
  const status = typeof raw.response?.statusCode === 'number' ? raw.response.statusCode : 0;
  const body = redact(bodyText(raw.response?.body).trim().slice(0, 500), token);
  let detail: string;
  if (status) detail = `HTTP ${status}${body ? `: ${body}` : ''}`;
  else if (raw.isTimeout) detail = 'request timed out';
  else if (raw.isAbort) detail = 'request aborted';
  else {
    const code = typeof raw.code === 'string' ? raw.code : '';
    const msg = typeof raw.message === 'string' ? raw.message.replace(/^consul: [\w.]+: /, '') : '';
    detail = code && !msg.includes(code) ? `${code} ${msg}`.trim() : msg || 'request failed';
  }
  return new ConsulRequestError(operation, status, redact(detail, token), body, raw.isAbort === true);
}
