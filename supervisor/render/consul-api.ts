/**
 * The Consul reads the renderer needs (health service, catalog services, KV get and list), each
 * optionally blocking, on the npm `consul` package with the discovery layer's settings, TLS and
 * error redaction. (The discovery client has no catalog call and always asks for passing
 * instances; templates also ask for other health filters.)
 */
import { EventEmitter } from 'node:events';
import Consul from 'consul';
import { toConsulError } from '../discovery/errors.js';
import type { ConsulSettings } from '../discovery/settings.js';
import { loadTlsFiles } from '../discovery/tls.js';

type Call = (opts: Record<string, unknown>) => Promise<unknown>;
type Ctx = EventEmitter & { includeResponse?: boolean; canceled?: boolean };
type Res = { headers: Record<string, string | string[] | undefined> };

interface RawConsul {
  health: { service: Call };
  catalog: { service: { list: Call } };
  kv: { get: Call };
  destroy(): void;
}

export interface Blocking {
  /** X-Consul-Index of the previous answer; absent or 0 = answer at once. */
  index?: bigint;
  waitMs?: number;
  signal?: AbortSignal;
}

export interface Answer {
  index: bigint | undefined;
  body: unknown;
}

export class RenderConsul {
  private readonly raw: RawConsul;

  constructor(
    readonly settings: ConsulSettings,
    private readonly timeoutMs = 10_000,
  ) {
    const tls = settings.scheme === 'https' ? loadTlsFiles(settings.tls) : {};
    const Ctor = Consul as unknown as new (o: Record<string, unknown>) => RawConsul;
    this.raw = new Ctor({ host: settings.host, port: settings.port, secure: settings.scheme === 'https', ...tls });
  }

  /** GET /v1/health/service/<name>[?passing][&tag][&dc] */
  healthService(q: { name: string; tag?: string; dc?: string; passing: boolean }, b: Blocking = {}): Promise<Answer> {
    const opts: Record<string, unknown> = { service: q.name, passing: q.passing };
    if (q.tag) opts['tag'] = q.tag;
    if (q.dc) opts['dc'] = q.dc;
    return this.get(`health.service(${q.name})`, b, (o) => this.raw.health.service({ ...opts, ...o }));
  }

  /** GET /v1/catalog/services[?dc] */
  catalogServices(q: { dc?: string }, b: Blocking = {}): Promise<Answer> {
    const opts: Record<string, unknown> = q.dc ? { dc: q.dc } : {};
    return this.get('catalog.services', b, (o) => this.raw.catalog.service.list({ ...opts, ...o }));
  }

  /** GET /v1/kv/<key>[?recurse][&dc]; a missing key answers an undefined body. */
  kv(q: { key: string; recurse: boolean; dc?: string }, b: Blocking = {}): Promise<Answer> {
    const opts: Record<string, unknown> = { key: q.key, recurse: q.recurse };
    if (q.dc) opts['dc'] = q.dc;
    return this.get(`kv(${q.key})`, b, (o) => this.raw.kv.get({ ...opts, ...o }));
  }

  close(): void {
    this.raw.destroy();
  }

  private async get(operation: string, b: Blocking, call: Call): Promise<Answer> {
    const ctx: Ctx = new EventEmitter();
    ctx.includeResponse = true;
    const opts: Record<string, unknown> = { timeout: this.timeoutMs, ctx };
    if (this.settings.token) opts['token'] = this.settings.token;
    if (b.index !== undefined && b.index > 0n) {
      const waitMs = b.waitMs ?? 60_000;
      opts['index'] = b.index.toString();
      opts['wait'] = `${Math.max(1, Math.ceil(waitMs / 1000))}s`;
      // Consul adds up to wait/16 of jitter; leave room for it plus a normal request.
      opts['timeout'] = waitMs + Math.ceil(waitMs / 16) + this.timeoutMs;
    }
    if (b.signal?.aborted) throw toConsulError(operation, { isAbort: true }, undefined);
    const onAbort = () => {
      ctx.canceled = true;
      ctx.emit('cancel');
    };
    b.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const out = (await call(opts)) as [Res, unknown?] | undefined;
      const header = out?.[0]?.headers['x-consul-index'];
      let index: bigint | undefined;
      if (typeof header === 'string' && /^\d+$/.test(header)) index = BigInt(header);
      return { index, body: out?.[1] };
    } catch (err) {
      throw toConsulError(operation, err, this.settings.token);
    } finally {
      b.signal?.removeEventListener('abort', onAbort);
    }
  }
}
