/** Validation of `watches[]` (ContainerPilot v3 watches/config.go, plus the kv and service extensions). */
import type { WatchConfig } from './model.js';
import { describe } from './duration.js';
import { child, Issues, readBool, readInt, readObject, readString } from './fields.js';
import { SERVICE_NAME, SERVICE_NAME_RULE } from './jobs.js';

const WATCH_KEYS = ['name', 'interval', 'tag', 'dc', 'service', 'kv', 'prefix', 'blocking'];

export function validateWatches(iss: Issues, value: unknown): WatchConfig[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    iss.error('watches', `expected an array of watches, got ${describe(value)}`);
    return [];
  }
  const out: WatchConfig[] = [];
  const seen = new Map<string, number>();
  value.forEach((raw, i) => {
    const named = raw && typeof raw === 'object' && typeof (raw as Record<string, unknown>)['name'] === 'string' ? (raw as Record<string, string>)['name'] : undefined;
    const path = named ? `watches[${i}] (${JSON.stringify(named)})` : `watches[${i}]`;
    const w = validateWatch(iss, path, raw);
    if (!w) return;
    const prev = seen.get(w.name);
    if (prev !== undefined) iss.error(child(path, 'name'), `duplicate watch name ${JSON.stringify(w.name)} (also watches[${prev}]); give one a different name and set "service"`);
    else seen.set(w.name, i);
    out.push(w);
  });
  return out;
}

function validateWatch(iss: Issues, path: string, value: unknown): WatchConfig | undefined {
  const before = iss.errors.length;
  const o = readObject(iss, path, value, WATCH_KEYS);
  if (!o) return undefined;
  let name: string | undefined;
  if (o['name'] === undefined) iss.error(child(path, 'name'), 'is required');
  else {
    name = readString(iss, child(path, 'name'), o['name']);
    if (name !== undefined && !SERVICE_NAME.test(name)) iss.error(child(path, 'name'), `${JSON.stringify(name)} ${SERVICE_NAME_RULE}`);
  }
  let intervalMs: number | undefined;
  if (o['interval'] === undefined) iss.error(child(path, 'interval'), 'is required (seconds between Consul queries)');
  else {
    const s = readInt(iss, child(path, 'interval'), o['interval'], { min: 1 });
    if (s !== undefined) intervalMs = s * 1000;
  }
  // Extension: `blocking: false` polls every interval as ContainerPilot 3 did (default true).
  const blocking = o['blocking'] !== undefined ? readBool(iss, child(path, 'blocking'), o['blocking']) : true;
  const dc = o['dc'] !== undefined ? readString(iss, child(path, 'dc'), o['dc'], { nonEmpty: true }) : undefined;
  let target: WatchConfig['target'] | undefined;
  if (o['kv'] !== undefined) {
    for (const k of ['service', 'tag']) if (o[k] !== undefined) iss.error(child(path, k), 'cannot be used with "kv" (a KV watch has no service)');
    const key = readString(iss, child(path, 'kv'), o['kv'], { nonEmpty: true });
    const prefix = o['prefix'] !== undefined ? readBool(iss, child(path, 'prefix'), o['prefix']) : false;
    if (key !== undefined && prefix !== undefined) target = { kind: 'kv', key, prefix, ...(dc ? { dc } : {}) };
  } else {
    if (o['prefix'] !== undefined) iss.error(child(path, 'prefix'), 'only applies to a "kv" watch');
    let service = name;
    if (o['service'] !== undefined) {
      service = readString(iss, child(path, 'service'), o['service']);
      if (service !== undefined && !SERVICE_NAME.test(service)) iss.error(child(path, 'service'), `${JSON.stringify(service)} ${SERVICE_NAME_RULE}`);
    }
    const tag = o['tag'] !== undefined ? readString(iss, child(path, 'tag'), o['tag'], { nonEmpty: true }) : undefined;
    if (service !== undefined) target = { kind: 'service', service, ...(tag ? { tag } : {}), ...(dc ? { dc } : {}) };
  }
  if (iss.errors.length > before || !name || !target || intervalMs === undefined) return undefined;
  return blocking === false ? { name, target, intervalMs, blocking } : { name, target, intervalMs };
}
