/** Validation of a parsed v3 config tree into the model (top level, consul, logging, control). */
import type { Config, LogFormat, LoggingConfig, LogLevel } from './model.js';
import { validateConsul } from './consul.js';
import { describe } from './duration.js';
import { Issues, readDuration, readObject, readString } from './fields.js';
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
