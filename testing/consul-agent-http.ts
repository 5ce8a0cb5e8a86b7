/** Small typed helpers for talking to a test Consul agent's HTTP API with the global fetch. */

export interface ConsulEndpoint {
  /** e.g. http://127.0.0.1:41234 */
  readonly httpUrl: string;
}

export interface ConsulResponse<T> {
  status: number;
  /** X-Consul-Index, for blocking queries (null when the endpoint does not send one). */
  index: string | null;
  body: T;
}

/** Raised for a non-2xx answer; carries the status and Consul's error text. */
export class ConsulHttpError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly text: string,
  ) {
    super(`consul ${path}: HTTP ${status}: ${text.trim()}`);
  }
}

/** One request; `timeoutMs` bounds it (blocking queries need more than the default). */
export async function consulRequest<T = unknown>(
  agent: ConsulEndpoint,
  method: 'GET' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  timeoutMs = 5000,
): Promise<ConsulResponse<T>> {
  const init: RequestInit = { method, signal: AbortSignal.timeout(timeoutMs) };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(agent.httpUrl + path, init);
  const text = await res.text();
  if (!res.ok) throw new ConsulHttpError(res.status, path, text);
  let parsed: unknown = text;
  if (text !== '' && (res.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
  return { status: res.status, index: res.headers.get('x-consul-index'), body: parsed as T };
}

/** GET a JSON endpoint, e.g. consulGet<HealthEntry[]>(agent, '/v1/health/service/web'). */
export async function consulGet<T = unknown>(agent: ConsulEndpoint, path: string): Promise<T> {
  return (await consulRequest<T>(agent, 'GET', path)).body;
}

/** PUT a JSON body (or none), e.g. consulPut(agent, '/v1/agent/check/pass/service:web'). */
export async function consulPut<T = unknown>(agent: ConsulEndpoint, path: string, body?: unknown): Promise<T> {
  return (await consulRequest<T>(agent, 'PUT', path, body)).body;
}

/** The subset of a /v1/health/service/<name> entry the tests look at. */
export interface HealthServiceEntry {
  Node: { Node: string; Address: string };
  Service: { ID: string; Service: string; Address: string; Port: number; Tags: string[] | null };
  Checks: { CheckID: string; Status: 'passing' | 'warning' | 'critical'; ServiceID: string }[];
}
