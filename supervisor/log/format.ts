/**
 * The three ContainerPilot log formats, byte-compatible with its logrus setup:
 * - `default`: Go's RFC3339Nano timestamp, a space, the message (no level, no fields).
 * - `text`:    logrus TextFormatter without a TTY: time="..." level=info msg="..." k=v (fields sorted).
 * - `json`:    logrus JSONFormatter: one object, keys sorted (Go's encoding/json sorts map keys).
 */
import type { LogFormat, LogLevel } from '../config/model.js';

export type FieldValue = string | number | boolean;
export type Fields = Readonly<Record<string, FieldValue>>;

export interface LogEntry {
  time: Date;
  level: LogLevel;
  msg: string;
  fields?: Fields;
}

/** logrus level names (WARN prints as "warning"). */
const LEVEL_TEXT: Record<LogLevel, string> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warning',
  ERROR: 'error',
  FATAL: 'fatal',
  PANIC: 'panic',
};

export function formatEntry(format: LogFormat, e: LogEntry): string {
  switch (format) {
    case 'default':
      return `${rfc3339(e.time, true)} ${e.msg}\n`;
    case 'text':
      return formatText(e);
    case 'json':
      return formatJson(e);
  }
}

function formatText(e: LogEntry): string {
  let out = `time=${quoteIfNeeded(rfc3339(e.time, false))} level=${LEVEL_TEXT[e.level]} msg=${quoteIfNeeded(e.msg)}`;
  for (const key of Object.keys(e.fields ?? {}).sort()) {
    out += ` ${key}=${quoteIfNeeded(String(e.fields![key]))}`;
  }
  return out + '\n';
}

function formatJson(e: LogEntry): string {
  const obj: Record<string, FieldValue> = { ...(e.fields ?? {}) };
  // logrus prefixes clashing user fields with "fields."; the standard keys win.
  for (const k of ['level', 'msg', 'time']) {
    if (k in obj) {
      obj[`fields.${k}`] = obj[k]!;
      delete obj[k];
    }
  }
  obj['level'] = LEVEL_TEXT[e.level];
  obj['msg'] = e.msg;
  obj['time'] = rfc3339(e.time, false);
  const sorted: Record<string, FieldValue> = {};
  for (const k of Object.keys(obj).sort()) sorted[k] = obj[k]!;
  return JSON.stringify(sorted) + '\n';
}

/** logrus quotes a value unless every character is in [A-Za-z0-9-._/@^+]. */
function quoteIfNeeded(s: string): string {
  return /^[A-Za-z0-9\-._/@^+]*$/.test(s) ? s : JSON.stringify(s);
}

/**
 * Go's RFC3339 / RFC3339Nano layouts in UTC ("Z"). Nano trims trailing zeros of the fraction,
 * as Go does; plain RFC3339 has whole seconds.
 */
export function rfc3339(d: Date, nano: boolean): string {
  const iso = d.toISOString(); // 2006-01-02T15:04:05.000Z
  const base = iso.slice(0, 19);
  if (!nano) return `${base}Z`;
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return frac ? `${base}.${frac}Z` : `${base}Z`;
}

const ORDER: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3, FATAL: 4, PANIC: 5 };

export function levelEnabled(threshold: LogLevel, level: LogLevel): boolean {
  return ORDER[level] >= ORDER[threshold];
}
