/**
 * The one owner of the Consul settings. A config's `consul` value is parsed here once into the
 * model (validateConsul, at load), and every CONSUL_* variable is read here, with ContainerPilot
 * v3's precedence:
 * - CONSUL_HTTP_TOKEN, CONSUL_CACERT, CONSUL_CAPATH, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY,
 *   CONSUL_TLS_SERVER_NAME and CONSUL_HTTP_SSL_VERIFY override the config when set (non-empty):
 *   withConsulEnv;
 * - CONSUL_HTTP_ADDR and CONSUL_HTTP_SSL are defaults, used only when the config gives no
 *   address (ContainerPilot left those to the Consul API client's defaults): defaultAgent;
 * - with neither, the agent is 127.0.0.1:8500 over http.
 * discovery/settings.ts turns the model into a connection (host, port, scheme, token, TLS).
 */
import type { ConsulConfig, ConsulTlsConfig } from './model.js';
import { describe } from './duration.js';
import { child, type Issues, readBool, readObject, readString } from './fields.js';

type Env = Record<string, string | undefined>;

export function validateConsul(iss: Issues, value: unknown, env: Env): ConsulConfig | undefined {
  let address: string | undefined;
  let scheme: string | undefined;
  let token: string | undefined;
  let tls: ConsulTlsConfig | undefined;
  if (typeof value === 'string') address = value;
  else if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    // The two forms ContainerPilot takes, named: `consul: 8500` is a common slip for "host:8500".
    iss.error('consul', `expected "host:port" (a string, e.g. "consul:8500") or an object { address, scheme, token, tls }, got ${describe(value)}`);
    return undefined;
  } else {
    const o = readObject(iss, 'consul', value, ['address', 'scheme', 'token', 'tls']);
    if (!o) return undefined;
    if (o['address'] === undefined) iss.error('consul.address', 'is required (host:port of the Consul agent)');
    else address = readString(iss, 'consul.address', o['address']);
    if (o['scheme'] !== undefined) {
      scheme = readString(iss, 'consul.scheme', o['scheme']);
      if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') iss.error('consul.scheme', `expected "http" or "https", got ${JSON.stringify(scheme)}`);
    }
    if (o['token'] !== undefined) token = readString(iss, 'consul.token', o['token'], { strict: true });
    if (o['tls'] !== undefined) tls = validateTls(iss, o['tls']);
  }
  if (address === undefined) return undefined;
  // In the file only the exact lower-case prefix is a scheme (anything else fails as "not
  // host:port" below); a flag or CONSUL_HTTP_ADDR is read as Consul's own client does (splitScheme).
  const m = /^(https?):\/\//.exec(address);
  if (m) {
    scheme ??= m[1];
    address = address.slice(m[0].length);
  }
  const path = typeof value === 'string' ? 'consul' : 'consul.address';
  // An unset variable (`consul: "{{ .CONSUL }}:8500"`) leaves no host: ContainerPilot's Consul
  // client then talks to the local agent (CONSUL_HTTP_ADDR, else 127.0.0.1:8500 for "", and
  // Go dials ":8500" on the local host), so this runs too, with a warning.
  if (address === '') {
    iss.warn(path, '"" names no agent (an unset variable?): using the local agent, CONSUL_HTTP_ADDR or 127.0.0.1:8500, as ContainerPilot does');
  } else if (/^:\d+$/.test(address)) {
    iss.warn(path, `${JSON.stringify(address)} has no host (an unset variable?): using the local agent 127.0.0.1${address}, as ContainerPilot does`);
    address = `127.0.0.1${address}`;
  }
  const hp = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+)(?::(\d+))?$/.exec(address);
  if (address !== '' && (!hp || (hp[2] !== undefined && (Number(hp[2]) < 1 || Number(hp[2]) > 65535)))) {
    iss.error(path, `${JSON.stringify(address)} is not "host:port" (for example "localhost:8500")`);
    return undefined;
  }
  const out: ConsulConfig = { address, scheme: scheme === 'https' ? 'https' : 'http' };
  if (token) out.token = token;
  if (tls) out.tls = tls;
  return withConsulEnv(out, env);
}

const TLS_KEYS = ['cafile', 'capath', 'clientcert', 'clientkey', 'servername', 'verify'] as const;

function validateTls(iss: Issues, value: unknown): ConsulTlsConfig | undefined {
  const o = readObject(iss, 'consul.tls', value, TLS_KEYS);
  if (!o) return undefined;
  const tls: ConsulTlsConfig = { verify: true };
  for (const k of TLS_KEYS) {
    if (o[k] === undefined) continue;
    if (k === 'verify') tls.verify = readBool(iss, child('consul.tls', k), o[k]) ?? true;
    else {
      const s = readString(iss, child('consul.tls', k), o[k]);
      if (s) tls[k] = s;
    }
  }
  return tls;
}

const TLS_ENV = { cafile: 'CONSUL_CACERT', capath: 'CONSUL_CAPATH', clientcert: 'CONSUL_CLIENT_CERT', clientkey: 'CONSUL_CLIENT_KEY', servername: 'CONSUL_TLS_SERVER_NAME' } as const;

/** `consul` with the Consul client's environment overrides applied (a new object; the input is kept). */
export function withConsulEnv(consul: ConsulConfig, env: Env): ConsulConfig {
  const out: ConsulConfig = { address: consul.address, scheme: consul.scheme };
  const token = nonEmpty(env['CONSUL_HTTP_TOKEN']) ?? nonEmpty(consul.token);
  if (token) out.token = token;
  let tls = consul.tls ? { ...consul.tls } : undefined;
  for (const [k, name] of Object.entries(TLS_ENV) as [keyof typeof TLS_ENV, string][]) {
    const v = nonEmpty(env[name]);
    if (v) (tls ??= { verify: true })[k] = v;
  }
  const verify = truthy(env['CONSUL_HTTP_SSL_VERIFY']);
  if (verify !== undefined) (tls ??= { verify: true }).verify = verify;
  if (tls) out.tls = tls;
  return out;
}

/** The agent when the config names none: CONSUL_HTTP_ADDR (and CONSUL_HTTP_SSL), else 127.0.0.1:8500. */
export function defaultAgent(env: Env): { address: string; scheme: 'http' | 'https' } {
  const fromEnv = splitScheme(env['CONSUL_HTTP_ADDR'] ?? '');
  return { address: fromEnv.address || '127.0.0.1:8500', scheme: fromEnv.scheme ?? (truthy(env['CONSUL_HTTP_SSL']) ? 'https' : 'http') };
}

/** A `host:port` given on the command line (`autopilot render -consul`), optionally with a scheme. */
export function consulFromAddress(raw: string): ConsulConfig {
  const s = splitScheme(raw);
  return { address: s.address, scheme: s.scheme ?? 'http' };
}

/** Splits an optional `http://` / `https://` prefix (any case) and trailing slashes off an address. */
function splitScheme(raw: string): { address: string; scheme?: 'http' | 'https' } {
  const m = /^(https?):\/\/(.*)$/i.exec(raw.trim());
  if (!m) return { address: raw.trim() };
  return { address: (m[2] ?? '').replace(/\/+$/, ''), scheme: (m[1] ?? '').toLowerCase() as 'http' | 'https' };
}

function truthy(v: string | undefined): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  const s = v.toLowerCase();
  if (s === '1' || s === 'true') return true;
  if (s === '0' || s === 'false') return false;
  return undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
