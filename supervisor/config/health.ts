/** Validation of a job's `health` block: ContainerPilot's exec checks plus the http/tcp extensions. */
import type { HealthConfig } from './model.js';
import { child, Issues, readBool, readDuration, readExec, readInt, readObject, readString } from './fields.js';

const HEALTH_KEYS = ['exec', 'http', 'tcp', 'interval', 'ttl', 'timeout', 'logging'];

/** Period of a health check whose job is not advertised and gives no interval (ContainerPilot's
 * own examples do this; it would reject them). */
const DEFAULT_HEALTH_INTERVAL_MS = 5000;

export function validateHealth(iss: Issues, path: string, value: unknown, advertised: boolean): HealthConfig | undefined {
  const before = iss.errors.length;
  const o = readObject(iss, path, value, HEALTH_KEYS, { tll: 'ttl' });
  if (!o) return undefined;
  const kinds = (['exec', 'http', 'tcp'] as const).filter((k) => o[k] !== undefined);
  if (kinds.length > 1) iss.error(path, `has ${kinds.map((k) => `"${k}"`).join(' and ')}; exactly one check is allowed`);
  let check: HealthConfig['check'] | undefined;
  if (kinds.length === 0) {
    // ContainerPilot 3.8 runs it: an advertised job is heartbeated every interval (as its
    // telemetry service is), so Consul always sees it passing. A 2.x service without `health`
    // was always passing too, so its translation is not warned about.
    check = { kind: 'none' };
    if (!iss.fromV2) {
      iss.warn(
        path,
        advertised
          ? 'has no check ("exec", "http" or "tcp"): as in ContainerPilot 3.8, the service is heartbeated every interval, so Consul always sees it passing, and the job emits no healthy or unhealthy events'
          : 'has no check ("exec", "http" or "tcp"): nothing is checked (ContainerPilot 3.8 accepts this too)',
      );
    }
  }
  if (o['exec'] !== undefined) {
    const exec = readExec(iss, child(path, 'exec'), o['exec']);
    if (exec) check = { kind: 'exec', exec };
  }
  if (o['http'] !== undefined) {
    const url = readString(iss, child(path, 'http'), o['http']);
    if (url !== undefined) {
      if (!/^https?:\/\/[^/\s]/.test(url) || !URL.canParse(url)) iss.error(child(path, 'http'), `${JSON.stringify(url)} is not an http:// or https:// URL`);
      else check = { kind: 'http', url };
    }
  }
  if (o['tcp'] !== undefined) {
    const addr = readString(iss, child(path, 'tcp'), o['tcp']);
    const m = addr === undefined ? null : /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d+)$/.exec(addr);
    if (addr !== undefined && (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)) iss.error(child(path, 'tcp'), `${JSON.stringify(addr)} is not "host:port"`);
    else if (m) check = { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  }
  let intervalMs = DEFAULT_HEALTH_INTERVAL_MS;
  if (o['interval'] !== undefined) {
    const s = readInt(iss, child(path, 'interval'), o['interval'], { min: 1 });
    if (s !== undefined) intervalMs = s * 1000;
  } else if (advertised) iss.error(child(path, 'interval'), 'is required (seconds between checks) when the job has a port');
  let ttlMs = 0;
  if (o['ttl'] !== undefined) {
    const s = readInt(iss, child(path, 'ttl'), o['ttl'], { min: 1 });
    if (s !== undefined) ttlMs = s * 1000;
  } else if (advertised) iss.error(child(path, 'ttl'), 'is required (seconds a passing check stays valid in Consul) when the job has a port');
  const timeoutMs = o['timeout'] !== undefined ? readDuration(iss, child(path, 'timeout'), o['timeout'], { minMs: 1 }) : intervalMs;
  const raw = o['logging'] !== undefined ? readRaw(iss, child(path, 'logging'), o['logging']) : false;
  if (iss.errors.length > before || !check || timeoutMs === undefined) return undefined;
  return { check, intervalMs, ttlMs, timeoutMs, logging: { raw } };
}

/** A `logging: { raw }` block (jobs and health checks). */
export function readRaw(iss: Issues, path: string, value: unknown): boolean {
  const o = readObject(iss, path, value, ['raw']);
  if (!o || o['raw'] === undefined) return false;
  return readBool(iss, child(path, 'raw'), o['raw']) ?? false;
}
