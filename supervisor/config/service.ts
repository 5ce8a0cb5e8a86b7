/** Validation of the Consul service fields of a job with a port (interfaces, tags, initial_status, consul). */
import type { ServiceConfig } from './model.js';
import { parseGoDuration } from './duration.js';
import { child, Issues, readBool, readObject, readString, readStrings } from './fields.js';
import { validateInterfaces } from './interfaces.js';

export function validateService(iss: Issues, path: string, o: Record<string, unknown>, port: number): ServiceConfig | undefined {
  const before = iss.errors.length;
  const interfaces = o['interfaces'] !== undefined ? validateInterfaces(iss, child(path, 'interfaces'), o['interfaces']) : ['eth0:inet', 'inet'];
  const tags = o['tags'] !== undefined ? readStrings(iss, child(path, 'tags'), o['tags']) : [];
  const initial = o['initial_status'] !== undefined ? validateServiceField(iss, path, 'initial_status', o['initial_status'], true) : undefined;
  const extras = o['consul'] !== undefined ? validateServiceField(iss, path, 'consul', o['consul'], true) : undefined;
  if (iss.errors.length > before || !interfaces || !tags) return undefined;
  const service: ServiceConfig = { port, interfaces, tags, enableTagOverride: false };
  if (typeof initial === 'string') service.initialStatus = initial as ServiceConfig['initialStatus'];
  if (extras && typeof extras === 'object') {
    service.enableTagOverride = extras.enableTagOverride ?? false;
    if (extras.dereg !== undefined) service.deregisterCriticalServiceAfter = extras.dereg;
  }
  return service;
}


/** `initial_status` and the job's `consul` block (checked even on jobs without a port). */
export function validateServiceField(iss: Issues, path: string, key: 'consul' | 'initial_status', value: unknown, advertised: boolean) {
  if (key === 'initial_status') {
    const s = readString(iss, child(path, key), value);
    if (s !== undefined && !['passing', 'warning', 'critical'].includes(s)) {
      // ContainerPilot ignores initial_status on jobs that are not advertised.
      if (!advertised) return undefined;
      iss.error(child(path, key), `must be one of "passing", "warning" or "critical", got ${JSON.stringify(s)}`);
      return undefined;
    }
    return s;
  }
  const c = readObject(iss, child(path, 'consul'), value, ['enableTagOverride', 'deregisterCriticalServiceAfter']);
  if (!c) return undefined;
  const out: { enableTagOverride?: boolean; dereg?: string } = {};
  if (c['enableTagOverride'] !== undefined) out.enableTagOverride = readBool(iss, child(path, 'consul.enableTagOverride'), c['enableTagOverride']);
  if (c['deregisterCriticalServiceAfter'] !== undefined) {
    const p = child(path, 'consul.deregisterCriticalServiceAfter');
    const s = readString(iss, p, c['deregisterCriticalServiceAfter']);
    if (s !== undefined) {
      const d = parseGoDuration(s);
      if (typeof d !== 'number') iss.error(p, `${d.error} (expected a Consul duration such as "10m")`);
      else out.dereg = s;
    }
  }
  return out;
}
