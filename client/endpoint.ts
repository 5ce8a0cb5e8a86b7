/**
 * Where the Consul agent is, from the environment the supervisor and Consul's own tools use:
 * an explicit address, else `CONSUL_HTTP_ADDR`, else `CONSUL` (the blueprints' variable: a host,
 * or host:port), else the local agent. A missing port is Consul's 8500.
 */
import process from 'node:process';

export interface Endpoint {
  /** Base URL without a trailing slash, e.g. `http://consul:8500`. */
  readonly url: string;
  /** Sent as X-Consul-Token when set (`CONSUL_HTTP_TOKEN`). */
  readonly token?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function resolveEndpoint(address: string | undefined, token: string | undefined, env: Env = process.env): Endpoint {
  const [source, raw] = pick([
    ['the address option', address],
    ['CONSUL_HTTP_ADDR', env['CONSUL_HTTP_ADDR']],
    ['CONSUL', env['CONSUL']],
  ]) ?? ['the local agent', '127.0.0.1:8500'];
  const ssl = /^(1|true)$/i.test(env['CONSUL_HTTP_SSL'] ?? '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `${ssl ? 'https' : 'http'}://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TypeError(`${source}: expected host, host:port or http(s)://host:port, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${source}: expected an http or https address, got ${JSON.stringify(raw)}`);
  if (url.port === '' && !/:\d+$/.test(url.host)) url.port = '8500';
  const secret = token ?? (env['CONSUL_HTTP_TOKEN'] || undefined);
  return secret === undefined ? { url: url.origin } : { url: url.origin, token: secret };
}

function pick(candidates: [string, string | undefined][]): [string, string] | undefined {
  for (const [source, value] of candidates) if (value !== undefined && value.trim() !== '') return [source, value.trim()];
  return undefined;
}
