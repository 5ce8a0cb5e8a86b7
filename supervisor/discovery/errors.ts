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

/**
 * A body whose content type said JSON but which does not parse (a proxy's HTML error page sent
 * as application/json): kept as text so the error says what came, with its status, instead of
 * a JSON decode error.
 */
export class UndecodedBody {
  constructor(readonly text: string) {}
}

/** JSON.parse, or the text kept as an UndecodedBody (the client's decoder for JSON types). */
export function decodeJsonOrKeep(raw: Buffer | string): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
  try {
    return JSON.parse(text);
  } catch {
    return new UndecodedBody(text);
  }
}

/**
 * A short, loggable summary of an answer's text: an HTML page's title (or its text without
 * tags) marked as a page, whitespace folded, at most 200 characters.
 */
export function summarizeBody(text: string): string {
  let out = text;
  if (/<(!doctype|html|head|body|title)\b/i.test(text)) {
    const title = /<title[^>]*>([^<]*)</i.exec(text)?.[1]?.trim();
    out = `${title || text.replace(/<[^>]*>/g, ' ')} (an HTML page)`;
  }
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > 200 ? `${out.slice(0, 199)}…` : out;
}

/** What a JSON value is, for "expected a list, got ...". */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'no body';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A 2xx answer that is not what the endpoint returns: `Consul answered 200 with <what>`, so the
 * log names the fault (HTML, invalid JSON, the wrong shape) rather than a decode error.
 */
export function unexpectedAnswer(operation: string, status: number, what: string, token: string | undefined): ConsulRequestError {
  return new ConsulRequestError(operation, status, redact(`Consul answered ${status} with ${what}`, token), '');
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof UndecodedBody) return body.text;
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
  if (status) {
    const summary = summarizeBody(body);
    detail = `Consul answered ${status}${summary ? `: ${summary}` : ''}`;
  }
  else if (raw.isTimeout) detail = 'request timed out';
  else if (raw.isAbort) detail = 'request aborted';
  else {
    const code = typeof raw.code === 'string' ? raw.code : '';
    const msg = typeof raw.message === 'string' ? raw.message.replace(/^consul: [\w.]+: /, '') : '';
    detail = code && !msg.includes(code) ? `${code} ${msg}`.trim() : msg || 'request failed';
  }
  return new ConsulRequestError(operation, status, redact(detail, token), body, raw.isAbort === true);
}
