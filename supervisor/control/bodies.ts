/**
 * Validation of the control endpoints' JSON bodies. Each parser returns the typed value or
 * throws RejectedRequest with a one-line reason (answered as 422, ContainerPilot's status).
 */
import { RejectedRequest } from '../../base/errors.js';

function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RejectedRequest(`body is not valid JSON (${(err as Error).message.split('\n')[0]}); expected ${what}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RejectedRequest(`body must be ${what}`);
  }
  return value as Record<string, unknown>;
}

const ENV_SHAPE = 'a JSON object of string values, e.g. {"KEY": "value"}';

/** `POST /v3/environ`: `{"KEY": "value", ...}`. */
export function parseEnvBody(text: string): Record<string, string> {
  const obj = parseObject(text, ENV_SHAPE);
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === '' || key.includes('=') || key.includes('\0')) {
      throw new RejectedRequest(`invalid environment variable name ${JSON.stringify(key)}`);
    }
    if (typeof value !== 'string') {
      throw new RejectedRequest(`value of ${key} must be a string, got ${value === null ? 'null' : typeof value}`);
    }
    if (value.includes('\0')) throw new RejectedRequest(`value of ${key} contains a NUL byte`);
    vars[key] = value;
  }
  return vars;
}

const METRIC_SHAPE = 'a JSON object of numeric values, e.g. {"app_requests_total": 1}';

/**
 * `POST /v3/metric`: `{"name": 1.5}`. Numeric strings are accepted too, because ContainerPilot's
 * own `-putmetric` client sends every value as a string.
 */
export function parseMetricBody(text: string): Record<string, number> {
  const obj = parseObject(text, METRIC_SHAPE);
  const values: Record<string, number> = {};
  for (const [name, raw] of Object.entries(obj)) {
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
    if (!Number.isFinite(value)) {
      throw new RejectedRequest(`value of metric ${name} must be a finite number, got ${JSON.stringify(raw)}`);
    }
    values[name] = value;
  }
  if (Object.keys(values).length === 0) throw new RejectedRequest(`body must name at least one metric: ${METRIC_SHAPE}`);
  return values;
}
