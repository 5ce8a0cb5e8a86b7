/**
 * One read of a service's passing instances from Consul's health endpoint, optionally as a
 * blocking query. Answers Consul should never give (HTML error pages, JSON of the wrong shape)
 * become a ConsulAnswerError naming what was wrong, never a JSON parse error.
 */
import type { Endpoint } from './endpoint.js';

export interface Instance {
  /** The service instance's ID, unique in the cluster (`db-3f2a...`). */
  readonly id: string;
  readonly name: string;
  /** The service's address, or its node's when the service registered none. */
  readonly address: string;
  readonly port: number;
  readonly node: string;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
}

export interface HealthAnswer {
  readonly instances: Instance[];
  /** X-Consul-Index; 0 when absent or unusable. */
  readonly index: number;
}

export class ConsulAnswerError extends Error {
  override readonly name = 'ConsulAnswerError';
}

export async function readHealthy(endpoint: Endpoint, service: string, opts: { index?: number; waitSeconds?: number; signal?: AbortSignal } = {}): Promise<HealthAnswer> {
  const query = new URLSearchParams({ passing: 'true' });
  if (opts.index !== undefined && opts.index > 0) {
    query.set('index', String(opts.index));
    query.set('wait', `${opts.waitSeconds ?? 300}s`);
  }
  const url = `${endpoint.url}/v1/health/service/${encodeURIComponent(service)}?${query}`;
  const headers: Record<string, string> = endpoint.token === undefined ? {} : { 'X-Consul-Token': endpoint.token };
  let res: Response;
  try {
    res = await fetch(url, opts.signal === undefined ? { headers } : { headers, signal: opts.signal });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new ConsulAnswerError(`Consul at ${endpoint.url} unreachable: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  const body = await res.text();
  if (res.status !== 200) throw new ConsulAnswerError(`Consul answered ${res.status}: ${excerpt(body)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ConsulAnswerError(`Consul answered 200 with something other than JSON (${res.headers.get('content-type') ?? 'no content type'}): ${excerpt(body)}`);
  }
  if (!Array.isArray(parsed)) throw new ConsulAnswerError(`Consul answered 200 with JSON of the wrong shape: expected a list of instances, got ${typeof parsed === 'object' ? (parsed === null ? 'null' : 'an object') : typeof parsed}`);
  const index = Number(res.headers.get('x-consul-index') ?? '0');
  return { instances: parsed.map((entry, i) => instance(entry, i)).sort((a, b) => a.id.localeCompare(b.id)), index: Number.isSafeInteger(index) && index > 0 ? index : 0 };
}

function instance(entry: unknown, i: number): Instance {
  const e = entry as { Node?: { Node?: unknown; Address?: unknown }; Service?: { ID?: unknown; Service?: unknown; Address?: unknown; Port?: unknown; Tags?: unknown; Meta?: unknown } };
  const s = e?.Service;
  if (typeof s?.ID !== 'string' || typeof s.Service !== 'string' || typeof s.Port !== 'number') throw new ConsulAnswerError(`Consul answered 200 with JSON of the wrong shape: entry ${i} has no Service.ID, Service.Service and Service.Port`);
  const nodeAddress = typeof e.Node?.Address === 'string' ? e.Node.Address : '';
  return {
    id: s.ID,
    name: s.Service,
    address: typeof s.Address === 'string' && s.Address !== '' ? s.Address : nodeAddress,
    port: s.Port,
    node: typeof e.Node?.Node === 'string' ? e.Node.Node : '',
    tags: Array.isArray(s.Tags) ? s.Tags.filter((t): t is string => typeof t === 'string') : [],
    meta: s.Meta !== null && typeof s.Meta === 'object' ? Object.fromEntries(Object.entries(s.Meta).filter((kv): kv is [string, string] => typeof kv[1] === 'string')) : {},
  };
}

/** The start of an answer's body on one line: enough to recognise an HTML page or a message. */
function excerpt(body: string): string {
  const line = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return line === '' ? '(empty body)' : line.length > 120 ? `${line.slice(0, 120)}...` : line;
}
