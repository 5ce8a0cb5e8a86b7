/**
 * `-wait min[:max]` as consul-template reads it (config.ParseWaitConfig): Go durations
 * (`500ms`, `5s`, `1m30s`, `1.5s`, `0`); `min` alone means `max` = 4 x `min`; `max` below `min`
 * is refused.
 */
export class WaitError extends Error {}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds (non-negative only: a wait cannot be negative). */
export function parseGoDuration(s: string): number | undefined {
  if (s === '0') return 0;
  if (!/^(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}

export function parseWait(value: string): { minMs: number; maxMs: number } {
  const expected = 'expected min[:max] as Go durations, e.g. 5s or 500ms:2s';
  const parts = value.split(':').map((p) => p.trim());
  if (value.trim() === '' || parts.length > 2) throw new WaitError(`-wait ${JSON.stringify(value)}: ${expected}`);
  const [min, max] = parts.map(parseGoDuration);
  if (min === undefined || (parts.length === 2 && max === undefined)) throw new WaitError(`-wait ${JSON.stringify(value)}: ${expected}`);
  const maxMs = parts.length === 2 ? max! : 4 * min;
  if (maxMs < min) throw new WaitError(`-wait ${JSON.stringify(value)}: max must not be less than min`);
  return { minMs: min, maxMs };
}
