/**
 * Consul connection settings: the config's `consul` value merged with the standard CONSUL_*
 * environment variables, with ContainerPilot v3's precedence:
 * - CONSUL_HTTP_TOKEN, CONSUL_CACERT, CONSUL_CAPATH, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY,
 *   CONSUL_TLS_SERVER_NAME and CONSUL_HTTP_SSL_VERIFY override the config when set (non-empty);
 * - CONSUL_HTTP_ADDR and CONSUL_HTTP_SSL are defaults, used only when the config gives no
 *   address (ContainerPilot left those to the Consul API client's defaults);
 * - with neither, the agent is 127.0.0.1:8500 over http.
 */
import type { ConsulConfig } from '../config/model.js';

export interface ConsulTlsSettings {
  caFile?: string;
  caPath?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
  verify: boolean;
}

export interface ConsulSettings {
  host: string;
  port: number;
  scheme: 'http' | 'https';
  /** ACL token; never logged. */
  token?: string;
  tls: ConsulTlsSettings;
}

type Env = Record<string, string | undefined>;

/** Splits an optional `http://` / `https://` prefix off an address. */
export function splitScheme(raw: string): { address: string; scheme?: 'http' | 'https' } {
  const m = /^(https?):\/\/(.*)$/i.exec(raw.trim());
  if (!m) return { address: raw.trim() };
  return { address: (m[2] ?? '').replace(/\/+$/, ''), scheme: (m[1] ?? '').toLowerCase() as 'http' | 'https' };
}

/** Parses `host:port`, `host`, `[v6]:port` or `[v6]`; the port defaults by scheme (8500 / 8501 is
 * Consul's convention, but an explicit port always wins). */
export function splitHostPort(address: string, scheme: 'http' | 'https'): { host: string; port: number } {
  const defaultPort = scheme === 'https' ? 8501 : 8500;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (v6) return { host: v6[1] ?? '', port: v6[2] ? Number(v6[2]) : defaultPort };
  const idx = address.lastIndexOf(':');
  if (idx > 0 && address.indexOf(':') === idx && /^\d+$/.test(address.slice(idx + 1))) {
    return { host: address.slice(0, idx), port: Number(address.slice(idx + 1)) };
  }
  return { host: address || '127.0.0.1', port: defaultPort };
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

/** The config's `consul` may also be given raw (a `host:port` string, optionally with scheme). */
export function resolveConsulSettings(config: ConsulConfig | string | undefined, env: Env = process.env): ConsulSettings {
  const cfg: ConsulConfig =
    typeof config === 'string'
      ? (() => {
          const s = splitScheme(config);
          return { address: s.address, scheme: s.scheme ?? 'http', tls: undefined };
        })()
      : (config ?? { address: '', scheme: 'http' });

  let address = splitScheme(cfg.address ?? '').address;
  let scheme: 'http' | 'https' = splitScheme(cfg.address ?? '').scheme ?? cfg.scheme ?? 'http';
  if (!address) {
    const fromEnv = splitScheme(env['CONSUL_HTTP_ADDR'] ?? '');
    address = fromEnv.address || '127.0.0.1:8500';
    scheme = fromEnv.scheme ?? (truthy(env['CONSUL_HTTP_SSL']) ? 'https' : 'http');
  }
  const { host, port } = splitHostPort(address, scheme);

  const tlsCfg = cfg.tls;
  const verifyEnv = truthy(env['CONSUL_HTTP_SSL_VERIFY']);
  const tls: ConsulTlsSettings = {
    caFile: nonEmpty(env['CONSUL_CACERT']) ?? tlsCfg?.cafile,
    caPath: nonEmpty(env['CONSUL_CAPATH']) ?? tlsCfg?.capath,
    certFile: nonEmpty(env['CONSUL_CLIENT_CERT']) ?? tlsCfg?.clientcert,
    keyFile: nonEmpty(env['CONSUL_CLIENT_KEY']) ?? tlsCfg?.clientkey,
    serverName: nonEmpty(env['CONSUL_TLS_SERVER_NAME']) ?? tlsCfg?.servername,
    verify: verifyEnv ?? tlsCfg?.verify ?? true,
  };
  const token = nonEmpty(env['CONSUL_HTTP_TOKEN']) ?? nonEmpty(cfg.token);
  return { host, port, scheme, token, tls };
}

/** `http://host:port` for logs and status: never carries the token. */
export function describeSettings(s: ConsulSettings): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.scheme}://${host}:${s.port}`;
}
