// Text mutations shared by the fuzz targets (bench/fuzz.mjs): cuts, truncation, byte flips,
// inserted tokens, unicode, deep nesting and huge numbers. Every choice comes from `random`, a
// seeded PRNG, so an input is a function of (seed, target, index) and replays exactly.

/** A random element of `xs`. */
export const pick = (random, xs) => xs[Math.floor(random() * xs.length)];

/** A whole number in [0, n). */
export const below = (random, n) => Math.floor(random() * n);

/** Sizes skewed small with a long tail: mostly 1-10, sometimes thousands. */
export const size = (random, max) => Math.min(max, Math.floor(Math.exp(random() * Math.log(max + 1))));

export const UNICODE = [
  '\u0000', '\u0001', '\u0007', '\t', '\r', '\r\n', '\u000b', '\u000c', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff',
  '\ud800', '\udfff', '\ud83d\udca5', 'é', 'e\u0301', '\u202e', '\u200b', '\uff5b', '\uff5d', 'ß', 'İ', 'ǅ', '٣', '𝟘', '\u{10ffff}', '\ufffd',
];

/** Numbers that break naive arithmetic, as they would appear in text. */
export const NUMBER_TEXTS = [
  '0', '-0', '1', '-1', '0.5', '.5', '5.', '1e3', '1e309', '-1e309', '1e-400', '2147483647', '2147483648', '4294967296',
  '9007199254740993', '9223372036854775807', '9223372036854775808', '-9223372036854775809', '18446744073709551616',
  '1'.padEnd(400, '0'), '0x10', '0X7fffffffffffffff', '0o17', '0b101', '1_000', 'Infinity', '-Infinity', 'NaN', '+1', '00012',
];

/** Go durations and near misses. */
export const DURATION_TEXTS = [
  '720h', '600h', '2562047h', '2562048h', '2562047h47m16.854775807s', '2562047h47m16.854775808s', '9223372036854775807ns',
  '9223372036854775808ns', '-1s', '-0s', '0s', '0', '1ns', '1us', '1µs', '1μs', '1ms', '1.5h30m', '.5s', '5.s', '1e309', '1e309s',
  '5', '5 s', ' 5s', '5S', '5sec', '+5s', '--5s', '5s5s', '1h-1m', 'NaNs', 'Infinitys', 'h', 's', '', '0x10s', '٣s', '1'.padEnd(40, '9') + 'h',
  '99999999999999999999h', '1e3s', '1_0s',
];

/** One random cut of up to `max` characters. */
export function cut(random, text, max = 64) {
  const at = below(random, text.length + 1);
  return text.slice(0, at) + text.slice(at + size(random, max));
}

/** `text` cut short at a random point (a file written half-way). */
export const truncate = (random, text) => text.slice(0, below(random, text.length + 1));

/** `piece` inserted at a random point. */
export function insert(random, text, piece) {
  const at = below(random, text.length + 1);
  return text.slice(0, at) + piece + text.slice(at);
}

/** Flips 1-4 random bits of the UTF-8 bytes; decodes as UTF-8 (invalid sequences become U+FFFD) or Latin-1. */
export function flipBytes(random, text) {
  const b = Buffer.from(text, 'utf8');
  if (b.length === 0) return text;
  for (let n = 1 + below(random, 4); n > 0; n--) b[below(random, b.length)] ^= 1 << below(random, 8);
  return b.toString(random() < 0.7 ? 'utf8' : 'latin1');
}

/** A random slice of `text` repeated in place (duplicated blocks, repeated keys). */
export function duplicate(random, text) {
  const a = below(random, text.length + 1);
  const b = Math.min(text.length, a + size(random, 200));
  return text.slice(0, b) + text.slice(a, b).repeat(1 + size(random, 8)) + text.slice(b);
}

/** Two random ranges swapped. */
export function swap(random, text) {
  const [x, y] = [below(random, text.length + 1), below(random, text.length + 1)].sort((p, q) => p - q);
  return text.slice(x, y) + text.slice(0, x) + text.slice(y);
}

/** `open` repeated n times, `middle`, then `close` n times (n up to `max`). */
export function nest(random, open, middle, close, max) {
  const n = size(random, max);
  return open.repeat(n) + middle + close.repeat(random() < 0.8 ? n : below(random, n + 1));
}

/** One generic mutation of `text`; `tokens` are the target's own words. */
export function mutateText(random, text, tokens) {
  switch (below(random, 9)) {
    case 0: return cut(random, text);
    case 1: return truncate(random, text);
    case 2: return flipBytes(random, text);
    case 3: return insert(random, text, pick(random, UNICODE));
    case 4: return insert(random, text, pick(random, tokens));
    case 5: return duplicate(random, text);
    case 6: return swap(random, text);
    case 7: return insert(random, text, pick(random, NUMBER_TEXTS));
    default: return insert(random, text, pick(random, DURATION_TEXTS));
  }
}
