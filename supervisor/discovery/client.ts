/**
 * The one place that talks HTTP to Consul, on the npm `consul` package. Every call takes a
 * timeout and (for blocking queries) an AbortSignal, and every failure is a ConsulRequestError
 * whose text never holds the ACL token.
 *
 * Service registration goes through the package's own request method (`_put`, papi's documented
 * transport) with a body we build, because the package's register() drops `EnableTagOverride`;
 * fetch() would lose the client certificate / CA settings on Node, the transport keeps them.
 */
import { EventEmitter } from 'node:events';
import { loadTlsFiles } from './tls.js';
import { decodeJsonOrKeep, describeJson, summarizeBody, toConsulError, UndecodedBody, unexpectedAnswer } from './errors.js';
import type { ConsulSettings } from './settings.js';

/** Body of PUT /v1/agent/service/register (Consul's field names). */
export interface AgentServiceRegistration {
  ID: string;
  Name: string;
  Address?: string;
  Port?: number;
  Tags?: string[];
  EnableTagOverride?: boolean;
  Check?: {
    CheckID?: string;
    Name?: string;
    Notes?: string;
    TTL: string;
    Status?: 'passing' | 'warning' | 'critical';
    DeregisterCriticalServiceAfter?: string;
  };
}

export interface BlockingOptions {
  /** X-Consul-Index of the previous answer; 0 or absent = answer at once. */
  index?: bigint;
  /** How long Consul may hold the request open. */
  waitMs?: number;
  signal?: AbortSignal;
}

export interface QueryResult<T> {
  /** X-Consul-Index, undefined when Consul sent none (blocking unavailable). */
  index: bigint | undefined;
  data: T;
}

/** One row of /v1/health/service (only the fields used here). */
export interface HealthServiceEntry {
  Node?: { Node?: string; Address?: string };
  Service?: { ID?: string; Service?: string; Address?: string; Port?: number; Tags?: string[] | null };
}

/** One row of /v1/kv (Value already base64-decoded by the client). */
export interface KvEntry {
  Key: string;
  Value: string | null;
  ModifyIndex?: number;
}

type Ctx = EventEmitter & { includeResponse?: boolean; canceled?: boolean };
type Res = { statusCode?: number; headers: Record<string, string | string[] | undefined> };
type Call = (opts: Record<string, unknown>) => Promise<unknown>;

/** The slice of the untyped package used here (its .d.ts lacks ctx/timeout/index). */
interface RawConsul {
  agent: { service: { list: Call; deregister: Call }; check: { list: Call; pass: Call; warn: Call; fail: Call } };
  health: { service: Call };
  kv: { get: Call; set: Call; del: Call };
  _put(req: Record<string, unknown>, ...middleware: unknown[]): Promise<unknown>;
  destroy(): void;
}

export interface ConsulClientOptions {
  /** Per-request timeout for non-blocking calls (default 10 s). */
  requestTimeoutMs?: number;
}

export class ConsulClient {
  readonly settings: ConsulSettings;
  private rawClient: RawConsul | undefined;
  private loading: Promise<RawConsul> | undefined;
  private readonly options: Record<string, unknown>;
  private readonly timeoutMs: number;

  constructor(settings: ConsulSettings, opts: ConsulClientOptions = {}) {
    this.settings = settings;
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000;
    // Certificates are read now, so a missing file is an error at start and not at the first call.
    const tls = settings.scheme === 'https' ? loadTlsFiles(settings.tls) : {};
    // A JSON content type whose body does not parse stays text, so the error can name it.
    const decoders = { 'application/json': decodeJsonOrKeep, 'text/json': decodeJsonOrKeep };
    this.options = { host: settings.host, port: settings.port, secure: settings.scheme === 'https', decoders, ...tls };
  }

  /**
   * The package's client, loaded on the first call: the first call comes after the jobs have
   * started, so the package's load is not part of every container's start.
   */
  private raw(): Promise<RawConsul> {
    if (this.rawClient) return Promise.resolve(this.rawClient);
    this.loading ??= import('consul').then((m) => {
      const Ctor = (m.default ?? m) as unknown as new (o: Record<string, unknown>) => RawConsul;
      this.rawClient = new Ctor(this.options);
      return this.rawClient;
    });
    return this.loading;
  }

  private common(timeoutMs = this.timeoutMs): Record<string, unknown> {
    const o: Record<string, unknown> = { timeout: timeoutMs };
    if (this.settings.token) o['token'] = this.settings.token;
    return o;
  }

  private async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toConsulError(operation, err, this.settings.token);
    }
  }

  registerService(body: AgentServiceRegistration): Promise<void> {
    const headers: Record<string, string> = {};
    if (this.settings.token) headers['x-consul-token'] = this.settings.token;
    return this.run(`register ${body.ID}`, async () => {
      await (await this.raw())._put({ name: 'agent.service.register', path: '/agent/service/register', type: 'json', body, headers, timeout: this.timeoutMs });
    });
  }

  deregisterService(id: string): Promise<void> {
    return this.run(`deregister ${id}`, async () => {
      await (await this.raw()).agent.service.deregister({ id, ...this.common() });
    });
  }

  /** PUT /v1/agent/check/{pass,warn,fail}/<id>?note=... */
  updateTtl(checkId: string, status: 'passing' | 'warning' | 'critical', note: string): Promise<void> {
    return this.run(`TTL ${status} ${checkId}`, async () => {
      const check = (await this.raw()).agent.check;
      const call = status === 'passing' ? check.pass : status === 'warning' ? check.warn : check.fail;
      await call.call(check, { id: checkId, note, ...this.common() });
    });
  }

  /** GET /v1/agent/services (used by status and tests). */
  agentServices(): Promise<Record<string, Record<string, unknown>>> {
    return this.run('list services', async () => (await (await this.raw()).agent.service.list(this.common())) as Record<string, Record<string, unknown>>);
  }

  /** GET /v1/agent/checks. */
  agentChecks(): Promise<Record<string, Record<string, unknown>>> {
    return this.run('list checks', async () => (await (await this.raw()).agent.check.list(this.common())) as Record<string, Record<string, unknown>>);
  }

  /** GET /v1/health/service/<service>?passing&tag&dc, blocking when `index` is given. */
  healthService(q: { service: string; tag?: string; dc?: string }, b: BlockingOptions = {}): Promise<QueryResult<HealthServiceEntry[]>> {
    return this.blocking(`health ${q.service}`, b, 'a list of health entries', async (opts) =>
      (await this.raw()).health.service({ service: q.service, passing: true, tag: q.tag, dc: q.dc, ...opts }),
    ).then(({ index, body }) => ({ index, data: body as HealthServiceEntry[] }));
  }

  /** GET /v1/kv/<key>[?recurse]; a missing key is an empty list, not an error. */
  kvGet(q: { key: string; recurse?: boolean; dc?: string }, b: BlockingOptions = {}): Promise<QueryResult<KvEntry[]>> {
    return this.blocking(`kv ${q.key}`, b, 'a list of KV entries', async (opts) => (await this.raw()).kv.get({ key: q.key, recurse: q.recurse === true, dc: q.dc, ...opts })).then(({ index, body }) => ({
      index,
      data: body === undefined ? [] : ((Array.isArray(body) ? body : [body]) as KvEntry[]),
    }));
  }

  /** PUT /v1/kv/<key> (used by tests and tools). */
  kvSet(key: string, value: string): Promise<void> {
    return this.run(`kv set ${key}`, async () => {
      await (await this.raw()).kv.set({ key, value, ...this.common() });
    });
  }

  kvDelete(key: string): Promise<void> {
    return this.run(`kv delete ${key}`, async () => {
      await (await this.raw()).kv.del({ key, ...this.common() });
    });
  }

  private checkShape(operation: string, res: (Res & { body?: unknown }) | undefined, expected: string): void {
    const status = res?.statusCode ?? 0;
    if (!res || status === 404) return; // a missing KV key: the client answers "none"
    const body = res.body;
    const type = String(res.headers['content-type'] ?? 'no content type').split(';')[0]!.trim();
    const fail = (what: string) => unexpectedAnswer(operation, status, what, this.settings.token);
    if (body instanceof UndecodedBody) throw fail(`a body that is not JSON (${type}): ${summarizeBody(body.text)}`);
    if (typeof body === 'string' || Buffer.isBuffer(body)) throw fail(`${type}, not JSON: ${summarizeBody(String(body))}`);
    if (!Array.isArray(body) || !body.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e))) {
      throw fail(`JSON of the wrong shape: expected ${expected}, got ${describeJson(body)}`);
    }
  }

  /** Releases pooled keep-alive sockets. */
  close(): void {
    if (this.rawClient) this.rawClient.destroy();
    // A client still loading is closed as soon as it is made.
    else void this.loading?.then((raw) => raw.destroy(), () => undefined);
  }

  /**
   * One read, blocking when `b.index` > 0. A 2xx answer must carry a JSON list of objects
   * (`expected` names it; a KV 404 carries none): HTML, text, invalid JSON or another shape is
   * a ConsulRequestError saying so, never an empty answer (which a watch would take for "no
   * instances").
   */
  private async blocking(operation: string, b: BlockingOptions, expected: string, call: Call): Promise<{ index: bigint | undefined; body: unknown }> {
    const ctx: Ctx = new EventEmitter();
    ctx.includeResponse = true;
    const opts: Record<string, unknown> = { ...this.common(), ctx };
    if (b.index !== undefined && b.index > 0n) {
      const waitMs = b.waitMs ?? 60_000;
      opts['index'] = b.index.toString();
      opts['wait'] = `${Math.max(1, Math.ceil(waitMs / 1000))}s`;
      // Consul adds up to wait/16 of jitter; leave room for it plus a normal request.
      opts['timeout'] = waitMs + Math.ceil(waitMs / 16) + this.timeoutMs;
    }
    const onAbort = () => {
      ctx.canceled = true;
      ctx.emit('cancel');
    };
    if (b.signal?.aborted) throw toConsulError(operation, { isAbort: true }, undefined);
    b.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const out = (await this.run(operation, () => call(opts))) as [Res, unknown?] | undefined;
      const res = out?.[0];
      this.checkShape(operation, res as (Res & { body?: unknown }) | undefined, expected);
      const header = res?.headers['x-consul-index'];
      let index: bigint | undefined;
      try {
        index = typeof header === 'string' && header !== '' ? BigInt(header) : undefined;
      } catch {
        index = undefined;
      }
      return { index, body: out?.[1] };
    } finally {
      b.signal?.removeEventListener('abort', onAbort);
    }
  }
}
