/**
 * Consul connection settings from the config model's `consul` (parsed, and CONSUL_* applied, by
 * config/consul.ts, which owns both): host and port split, the agent's default when the config
 * names none. The environment is applied again here because a reload or `autopilot render
 * -consul` may see a different one than the config's load did.
 */
import { consulFromAddress, defaultAgent, withConsulEnv } from '../config/consul.js';
import type { ConsulConfig, ConsulTlsConfig } from '../config/model.js';

export interface ConsulSettings {
  host: string;
  port: number;
  scheme: 'http' | 'https';
  /** ACL token; never logged. */
  token?: string;
  tls: ConsulTlsConfig;
}

type Env = Record<string, string | undefined>;

/** Parses `host:port`, `host`, `[v6]:port` or `[v6]`; the port defaults by scheme (8500 / 8501 is
 * Consul's convention, but an explicit port always wins). */
function splitHostPort(address: string, scheme: 'http' | 'https'): { host: string; port: number } {
  const defaultPort = scheme === 'https' ? 8501 : 8500;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (v6) return { host: v6[1] ?? '', port: v6[2] ? Number(v6[2]) : defaultPort };
  const idx = address.lastIndexOf(':');
  if (idx > 0 && address.indexOf(':') === idx && /^\d+$/.test(address.slice(idx + 1))) {
    return { host: address.slice(0, idx), port: Number(address.slice(idx + 1)) };
  }
  return { host: address || '127.0.0.1', port: defaultPort };
}

/** `config` is the model's `consul`, or a raw `host:port` (optionally with scheme) from a flag. */
export function resolveConsulSettings(config: ConsulConfig | string | undefined, env: Env = process.env): ConsulSettings {
  const model = typeof config === 'string' ? consulFromAddress(config) : (config ?? { address: '', scheme: 'http' });
  const cfg = withConsulEnv(model, env);
  const { address, scheme } = cfg.address ? cfg : defaultAgent(env);
  const { host, port } = splitHostPort(address, scheme);
  return { host, port, scheme, token: cfg.token, tls: cfg.tls ?? { verify: true } };
}

/** `http://host:port` for logs and status: never carries the token. */
export function describeSettings(s: ConsulSettings): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.scheme}://${host}:${s.port}`;
}
