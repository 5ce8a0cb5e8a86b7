/**
 * The Consul reads the renderer needs (health service, catalog services, KV get and list), each
 * optionally blocking, as plain GETs with the discovery layer's settings, TLS and error
 * redaction. A `render -once` is a short-lived process per change, so the client is the cheapest
 * per runtime (measured: bench/fanout.mjs): node:http on Node (a general client library loads a
 * dozen modules first), fetch() on Bun and Deno over plain http (native there; their node:http
 * is a layer over it); node:https, loaded only when needed, for TLS with its CA and client
 * certificate files.
 */
import { Agent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { describeJson, summarizeBody, toConsulError, unexpectedAnswer } from '../discovery/errors.js';
import type { ConsulSettings } from '../discovery/settings.js';
import { loadTlsFiles, type NodeTlsOptions } from '../discovery/tls.js';
import { after } from '../timers/timers.js';

export interface Blocking {
  /** X-Consul-Index of the previous answer; absent or 0 = answer at once. */
  index?: bigint;
  waitMs?: number;
  signal?: AbortSignal;
}

export interface Answer {
  index: bigint | undefined;
  body: unknown;
  /** The answer's text as Consul sent it ('' for none): equal texts mean equal data. */
  text: string;
}

/** What a transport hands back: the status, X-Consul-Index and the body text. */
interface Raw {
  status: number;
  index: string | null;
  /** The media type of the body ('' when none was named). */
  type: string;
  text: string;
}

/** What a 2xx answer of each endpoint holds: a list of objects (health, KV) or an object (catalog services). */
type Shape = 'list' | 'map';

/** Shaped as the discovery layer's toConsulError reads client errors. */
const rawError = (fields: { message?: string; code?: string; isAbort?: boolean; isTimeout?: boolean; response?: { statusCode: number; body: string } }) => fields;

const nativeFetch = 'Bun' in globalThis || 'Deno' in globalThis;

type HttpsRequest = typeof httpRequest;
// A variable name keeps node:https (and TLS) out of the start-up of plain-http runs, in every bundle.
const HTTPS_MODULE = 'node:https';

export class RenderConsul {
  private readonly tls: NodeTlsOptions | undefined;
  private readonly base: string;
  private readonly agent: Agent | undefined;
  private httpsRequest: Promise<HttpsRequest> | undefined;
  private readonly pending = new Set<AbortController>();

  constructor(
    readonly settings: ConsulSettings,
    private readonly timeoutMs = 10_000,
  ) {
    this.tls = settings.scheme === 'https' ? loadTlsFiles(settings.tls) : undefined;
    const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
    this.base = `${settings.scheme}://${host}:${settings.port}`;
    // Watch mode keeps a query per dependency going: reuse connections between them.
    this.agent = this.tls || nativeFetch ? undefined : new Agent({ keepAlive: true });
  }

  /** GET /v1/health/service/<name>[?passing][&tag][&dc] */
  healthService(q: { name: string; tag?: string; dc?: string; passing: boolean }, b: Blocking = {}): Promise<Answer> {
    const query: [string, string][] = [];
    if (q.tag) query.push(['tag', q.tag]);
    if (q.passing) query.push(['passing', 'true']);
    if (q.dc) query.push(['dc', q.dc]);
    return this.get(`health.service(${q.name})`, `/v1/health/service/${encodeURIComponent(q.name)}`, query, b, 'list');
  }

  /** GET /v1/catalog/services[?dc] */
  catalogServices(q: { dc?: string }, b: Blocking = {}): Promise<Answer> {
    return this.get('catalog.services', '/v1/catalog/services', q.dc ? [['dc', q.dc]] : [], b, 'map');
  }

  /**
   * GET /v1/kv/<key>[?recurse][&dc]. A missing key (404, or no entries) answers an undefined
   * body; otherwise the entry (or, with recurse, the list) with each Value decoded from base64.
   */
  async kv(q: { key: string; recurse: boolean; dc?: string }, b: Blocking = {}): Promise<Answer> {
    const query: [string, string][] = [];
    if (q.recurse) query.push(['recurse', 'true']);
    if (q.dc) query.push(['dc', q.dc]);
    const path = `/v1/kv/${q.key.split('/').map(encodeURIComponent).join('/')}`;
    const a = await this.get(`kv(${q.key})`, path, query, b, 'list', true);
    const list = Array.isArray(a.body) ? (a.body as Record<string, unknown>[]) : [];
    if (list.length === 0) return { index: a.index, body: undefined, text: '' };
    for (const item of list) {
      if (typeof item['Value'] === 'string') item['Value'] = Buffer.from(item['Value'], 'base64').toString();
    }
    return { index: a.index, body: q.recurse ? list : list[0], text: a.text };
  }

  /** Aborts what is in flight and closes idle connections. */
  close(): void {
    for (const c of this.pending) c.abort();
    this.agent?.destroy();
  }

  private async get(operation: string, path: string, query: [string, string][], b: Blocking, shape: Shape, notFoundIsEmpty = false): Promise<Answer> {
    let timeoutMs = this.timeoutMs;
    if (b.index !== undefined && b.index > 0n) {
      const waitMs = b.waitMs ?? 60_000;
      query.push(['index', b.index.toString()], ['wait', `${Math.max(1, Math.ceil(waitMs / 1000))}s`]);
      // Consul adds up to wait/16 of jitter; leave room for it plus a normal request.
      timeoutMs = waitMs + Math.ceil(waitMs / 16) + this.timeoutMs;
    }
    const qs = query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    const url = this.base + path + (qs ? `?${qs}` : '');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.settings.token) headers['x-consul-token'] = this.settings.token;
    if (b.signal?.aborted) throw toConsulError(operation, rawError({ isAbort: true }), undefined);
    const abort = new AbortController();
    this.pending.add(abort);
    let timedOut = false;
    const timer = after(timeoutMs, () => {
      timedOut = true;
      abort.abort();
    });
    const onAbort = () => abort.abort();
    b.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let raw: Raw;
      try {
        raw = nativeFetch && !this.tls ? await getFetch(url, headers, abort.signal) : await this.getNode(url, headers, abort.signal);
      } catch (err) {
        if (timedOut) throw rawError({ isTimeout: true });
        if (abort.signal.aborted) throw rawError({ isAbort: true });
        const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
        throw rawError({ code: e.code ?? e.cause?.code, message: e.cause?.message ?? e.message });
      }
      const index = raw.index !== null && /^\d+$/.test(raw.index) ? BigInt(raw.index) : undefined;
      if (raw.status === 404 && notFoundIsEmpty) return { index, body: undefined, text: '' };
      if (raw.status < 200 || raw.status >= 300) throw rawError({ response: { statusCode: raw.status, body: raw.text } });
      return { index, body: this.parse(operation, raw, shape), text: raw.text };
    } catch (err) {
      throw toConsulError(operation, err, this.settings.token);
    } finally {
      timer.clear();
      this.pending.delete(abort);
      b.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The body of a 2xx answer, which must be JSON of the endpoint's shape: anything else (a
   * proxy's HTML page, text, another shape) is an error saying what came, never an empty value
   * that would render a config without its backends.
   */
  private parse(operation: string, raw: Raw, shape: Shape): unknown {
    const fail = (what: string) => unexpectedAnswer(operation, raw.status, what, this.settings.token);
    let body: unknown;
    try {
      body = JSON.parse(raw.text);
    } catch {
      if (raw.type === 'application/json' || raw.type === '') throw fail(`a body that is not JSON (${raw.type || 'no content type'}): ${summarizeBody(raw.text)}`);
      throw fail(`${raw.type}, not JSON: ${summarizeBody(raw.text)}`);
    }
    const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    const fits = shape === 'list' ? Array.isArray(body) && body.every(isObject) : isObject(body);
    if (!fits) throw fail(`JSON of the wrong shape: expected ${shape === 'list' ? 'a list of objects' : 'an object'}, got ${describeJson(body)}`);
    return body;
  }

  private async getNode(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Raw> {
    let send = httpRequest;
    let opts: RequestOptions = { headers, signal, agent: this.agent };
    if (this.tls) {
      this.httpsRequest ??= loadHttpsRequest();
      send = await this.httpsRequest;
      opts = { ...opts, ...this.tls, agent: undefined };
    }
    return new Promise<Raw>((resolve, reject) => {
      const req = send(url, opts, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const header = res.headers['x-consul-index'];
          const type = mediaType(res.headers['content-type'] ?? null);
          resolve({ status: res.statusCode ?? 0, index: typeof header === 'string' ? header : null, type, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }
}

async function loadHttpsRequest(): Promise<HttpsRequest> {
  const m = (await import(HTTPS_MODULE)) as { request: HttpsRequest };
  return m.request;
}

async function getFetch(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Raw> {
  const res = await fetch(url, { headers, signal });
  return { status: res.status, index: res.headers.get('x-consul-index'), type: mediaType(res.headers.get('content-type')), text: await res.text() };
}

function mediaType(header: string | null): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
