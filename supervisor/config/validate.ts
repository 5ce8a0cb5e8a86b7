/** Validation of a parsed v3 config tree into the model (top level, consul, logging, control). */
import type { Config, ConsulConfig, ConsulTlsConfig, LogFormat, LoggingConfig, LogLevel } from './model.js';
import { describe } from './duration.js';
import { child, Issues, readBool, readDuration, readObject, readString } from './fields.js';
import { validateJobs } from './jobs.js';
import { validateTelemetry } from './telemetry.js';
import { validateWatches } from './watches.js';
import { checkWhenSources } from './when-sources.js';

export const TOP_KEYS = ['consul', 'logging', 'stopTimeout', 'jobs', 'watches', 'telemetry', 'control'];
type Env = Record<string, string | undefined>;

/** Validates a parsed config; returns the model, or undefined with errors recorded in `iss`. */
export function validateConfig(iss: Issues, tree: unknown, env: Env): Config | undefined {
  const top = readObject(iss, '', tree, TOP_KEYS);
  if (!top) return undefined;
  const consul = top['consul'] !== undefined && top['consul'] !== null ? validateConsul(iss, top['consul'], env) : undefined;
  const logging = validateLogging(iss, top['logging']);
  const stopTimeoutMs = top['stopTimeout'] !== undefined ? readDuration(iss, 'stopTimeout', top['stopTimeout'], { minMs: 0 }) : undefined;
  let socket = '/var/run/containerpilot.socket';
  if (top['control'] !== undefined && top['control'] !== null) {
    const c = readObject(iss, 'control', top['control'], ['socket']);
    if (c?.['socket'] !== undefined) socket = readString(iss, 'control.socket', c['socket'], { nonEmpty: true }) ?? socket;
  }
  const hasConsul = top['consul'] !== undefined && top['consul'] !== null;
  const jobs = validateJobs(iss, top['jobs'], hasConsul);
  const watches = validateWatches(iss, top['watches']);
  if (watches.length && !hasConsul) iss.error('watches', 'watches query Consul, but the config has no top-level "consul"');
  const telemetry = validateTelemetry(iss, top['telemetry']);
  if (iss.errors.length) return undefined;

  checkWhenSources(iss, jobs, watches.map((w) => w.name), !!telemetry);
  // ContainerPilot treats a zero stopTimeout as "use the default".
  const config: Config = { logging: logging!, stopTimeoutMs: stopTimeoutMs || 5000, control: { socket }, jobs, watches, warnings: iss.warnings };
  if (consul) config.consul = consul;
  if (telemetry) config.telemetry = telemetry;
  return config;
}

const LEVELS: Record<string, LogLevel> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', warning: 'WARN', error: 'ERROR', fatal: 'FATAL', panic: 'PANIC' };

function validateLogging(iss: Issues, value: unknown): LoggingConfig {
  const out: LoggingConfig = { level: 'INFO', format: 'default', output: 'stdout' };
  if (value === undefined || value === null) return out;
  const o = readObject(iss, 'logging', value, ['level', 'format', 'output']);
  if (!o) return out;
  if (o['level'] !== undefined) {
    const s = readString(iss, 'logging.level', o['level']);
    if (s !== undefined && s !== '') {
      const level = Object.hasOwn(LEVELS, s.toLowerCase()) ? LEVELS[s.toLowerCase()] : undefined;
      if (level) out.level = level;
      else iss.error('logging.level', `${JSON.stringify(s)} is not a log level; expected DEBUG, INFO, WARN, ERROR, FATAL or PANIC`);
    }
  }
  if (o['format'] !== undefined) {
    const s = readString(iss, 'logging.format', o['format']);
    if (s !== undefined && s !== '') {
      if (['default', 'text', 'json'].includes(s.toLowerCase())) out.format = s.toLowerCase() as LogFormat;
      else iss.error('logging.format', `${JSON.stringify(s)} is not a log format; expected default, text or json`);
    }
  }
  if (o['output'] !== undefined) {
    const s = readString(iss, 'logging.output', o['output']);
    if (s) out.output = ['stdout', 'stderr'].includes(s.toLowerCase()) ? s.toLowerCase() : s;
  }
  return out;
}

function validateConsul(iss: Issues, value: unknown, env: Env): ConsulConfig | undefined {
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
  // The Consul client's environment overrides, applied here so every consumer sees one config.
  token = env['CONSUL_HTTP_TOKEN'] || token;
  tls = applyTlsEnv(tls, env);
  const out: ConsulConfig = { address, scheme: scheme === 'https' ? 'https' : 'http' };
  if (token) out.token = token;
  if (tls) out.tls = tls;
  return out;
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

function applyTlsEnv(tls: ConsulTlsConfig | undefined, env: Env): ConsulTlsConfig | undefined {
  const map = { cafile: 'CONSUL_CACERT', capath: 'CONSUL_CAPATH', clientcert: 'CONSUL_CLIENT_CERT', clientkey: 'CONSUL_CLIENT_KEY', servername: 'CONSUL_TLS_SERVER_NAME' } as const;
  let out = tls;
  for (const [k, name] of Object.entries(map) as [keyof typeof map, string][]) {
    const v = env[name];
    if (v) (out ??= { verify: true })[k] = v;
  }
  const verify = env['CONSUL_HTTP_SSL_VERIFY']?.toLowerCase();
  if (verify === '1' || verify === 'true') (out ??= { verify: true }).verify = true;
  if (verify === '0' || verify === 'false') (out ??= { verify: true }).verify = false;
  return out;
}
