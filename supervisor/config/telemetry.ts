/** Validation of `telemetry` (ContainerPilot v3 telemetry/*_config.go). */
import type { MetricConfig, MetricType, TelemetryConfig } from './model.js';
import { describe } from './duration.js';
import { child, Issues, readInt, readObject, readString, readStrings } from './fields.js';
import { validateInterfaces } from './interfaces.js';

const TYPES: MetricType[] = ['counter', 'gauge', 'histogram', 'summary'];
const PROM_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function validateTelemetry(iss: Issues, value: unknown): TelemetryConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const path = 'telemetry';
  const before = iss.errors.length;
  const o = readObject(iss, path, value, ['port', 'interfaces', 'tags', 'metrics']);
  if (!o) return undefined;
  const port = o['port'] !== undefined ? readInt(iss, child(path, 'port'), o['port'], { min: 1, max: 65535 }) : 9090;
  const interfaces = o['interfaces'] !== undefined ? validateInterfaces(iss, child(path, 'interfaces'), o['interfaces']) : ['eth0:inet', 'inet'];
  const tags = o['tags'] !== undefined ? readStrings(iss, child(path, 'tags'), o['tags']) : [];
  const metrics: MetricConfig[] = [];
  const m = o['metrics'];
  if (m !== undefined && m !== null && !Array.isArray(m)) iss.error(child(path, 'metrics'), `expected an array of metrics, got ${describe(m)}`);
  else if (Array.isArray(m)) {
    const seen = new Map<string, number>();
    m.forEach((raw, i) => {
      const metric = validateMetric(iss, `${path}.metrics[${i}]`, raw);
      if (!metric) return;
      const full = [metric.namespace, metric.subsystem, metric.name].filter(Boolean).join('_');
      const prev = seen.get(full);
      if (prev !== undefined) iss.error(`${path}.metrics[${i}]`, `duplicate metric "${full}" (also telemetry.metrics[${prev}])`);
      else seen.set(full, i);
      metrics.push(metric);
    });
  }
  if (iss.errors.length > before || port === undefined || !interfaces || !tags) return undefined;
  return { port, interfaces, tags, metrics };
}

function validateMetric(iss: Issues, path: string, value: unknown): MetricConfig | undefined {
  const before = iss.errors.length;
  const o = readObject(iss, path, value, ['namespace', 'subsystem', 'name', 'help', 'type']);
  if (!o) return undefined;
  const str = (k: string) => (o[k] !== undefined ? readString(iss, child(path, k), o[k]) : '');
  const namespace = str('namespace');
  const subsystem = str('subsystem');
  const name = str('name');
  const help = str('help');
  if (o['name'] === undefined) iss.error(child(path, 'name'), 'is required');
  const type = o['type'] === undefined ? undefined : readString(iss, child(path, 'type'), o['type']);
  if (o['type'] === undefined) iss.error(child(path, 'type'), `is required (one of ${TYPES.join(', ')})`);
  else if (type !== undefined && !TYPES.includes(type as MetricType)) iss.error(child(path, 'type'), `${JSON.stringify(type)} is not a metric type; expected one of ${TYPES.join(', ')}`);
  if (name && namespace !== undefined && subsystem !== undefined) {
    const full = [namespace, subsystem, name].filter(Boolean).join('_');
    if (!PROM_NAME.test(full)) iss.error(path, `"${full}" is not a valid Prometheus metric name (letters, digits, "_" and ":", not starting with a digit)`);
  }
  if (iss.errors.length > before || namespace === undefined || subsystem === undefined || !name || help === undefined || !type) return undefined;
  return { namespace, subsystem, name, help, type: type as MetricType };
}
