/**
 * Durations as ContainerPilot reads them: a bare integer (or integer string) means seconds,
 * anything else is a Go `time.ParseDuration` string ("500ms", "1m30s", "1.5h").
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a Go duration string to milliseconds; returns an error message on failure. */
export function parseGoDuration(text: string): number | { error: string } {
  // Quoted as JSON: a newline or control character in the value stays on the message's one line.
  const quoted = JSON.stringify(text);
  const invalid = { error: `invalid duration ${quoted}` };
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return invalid;
  let total = 0;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    const whole = m?.[1] ?? '';
    const frac = m?.[2];
    if (!m || (whole === '' && (frac === undefined || frac === ''))) return invalid;
    s = s.slice(m[0].length);
    const u = /^[^\d.]+/.exec(s);
    if (!u) return { error: `missing unit in duration ${quoted}` };
    const unit = Object.hasOwn(UNIT_MS, u[0]) ? UNIT_MS[u[0]] : undefined;
    if (unit === undefined) return { error: `unknown unit ${JSON.stringify(u[0])} in duration ${quoted}` };
    s = s.slice(u[0].length);
    total += Number(`${whole || '0'}.${frac ?? '0'}`) * unit;
  }
  return sign * total;
}

/** ContainerPilot's timing.ParseDuration: integers are seconds, strings are Go durations. */
export function parseCpDuration(value: unknown): number | { error: string } {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { error: `${value} is not a whole number of seconds; use a duration string such as "1500ms"` };
    return value * 1000;
  }
  if (typeof value === 'string') {
    if (/^[+-]?\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
    return parseGoDuration(value);
  }
  return { error: `expected a duration (a number of seconds or a string such as "10s"), got ${describe(value)}` };
}

/** A short description of a JSON value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}
