// Go's default formatting (%v) of values, strconv float formatting and quoting.
import { type GoComplex, kindOf, mapEntries, structName, toNumber } from './values.js';

/** The exact decimal expansion of |x| (a double is a finite binary fraction): digits and point position. */
function exactDigits(x: number): { digits: string; dp: number } {
  const a = Math.abs(x);
  if (a === 0) return { digits: '0', dp: 1 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  let mant = bits & ((1n << 52n) - 1n);
  let exp = biased - 1075;
  if (biased === 0) exp = -1074;
  else mant |= 1n << 52n;
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  const trimmed = digits.replace(/0+$/, '');
  return { digits: trimmed, dp };
}

/** strconv's 'b' format: decimal mantissa and binary exponent, e.g. 4503599627370496p-52. */
export function formatBinaryExponent(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (biased !== 0) mant |= 1n << 52n;
  const exp = (biased === 0 ? 1 : biased) - 1075;
  return (bits >> 63n ? '-' : '') + mant.toString() + 'p' + (exp >= 0 ? '+' : '-') + Math.abs(exp);
}

/** strconv's 'x' format: hexadecimal mantissa 1.hhh and binary exponent, e.g. -0x1.8p+01. */
function formatHexFloat(x: number, prec: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  let mant = bits & ((1n << 52n) - 1n);
  let exp = biased - 1023;
  if (x === 0) { mant = 0n; exp = 0; } else if (biased === 0) {
    // Subnormal: normalize so the leading 1 sits just above the 52 fraction bits.
    exp = -1022;
    while (mant < 1n << 52n) { mant <<= 1n; exp--; }
    mant &= (1n << 52n) - 1n;
  }
  let lead = x === 0 ? 0n : 1n;
  let hex = mant.toString(16).padStart(13, '0');
  if (prec < 0) hex = hex.replace(/0+$/, '');
  else if (prec < 13) {
    const shift = BigInt((13 - prec) * 4);
    let keep = mant >> shift;
    const rem = mant & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (keep & 1n) === 1n)) keep++;
    if (keep >> BigInt(prec * 4) !== 0n) { keep = 0n; lead = 1n; exp++; }
    hex = prec === 0 ? '' : keep.toString(16).padStart(prec, '0');
  } else hex = hex.padEnd(prec, '0');
  const e = (exp >= 0 ? '+' : '-') + String(Math.abs(exp)).padStart(2, '0');
  return `${sign}0x${lead}${hex ? '.' + hex : ''}p${e}`;
}

/** Rounds a digit string to n significant digits, ties to even (Go's decimal rounding). */
function roundDigits(d: { digits: string; dp: number }, n: number): { digits: string; dp: number } {
  const { digits, dp } = d;
  if (n >= digits.length) return d;
  if (n < 0) return { digits: '0', dp: dp };
  const rest = digits.slice(n);
  const prev = n > 0 ? Number(digits[n - 1]) : 0;
  const up = rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || prev % 2 === 1));
  let kept = digits.slice(0, n);
  if (!up) return kept === '' || /^0*$/.test(kept) ? { digits: '0', dp } : { digits: kept.replace(/0+$/, '') || '0', dp };
  let i = kept.length - 1;
  while (i >= 0 && kept[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: dp + 1 };
  kept = kept.slice(0, i) + String(Number(kept[i]) + 1);
  return { digits: kept, dp };
}

/** Decimal digits and point position of |x|: shortest (prec < 0) or rounded to `prec` significant digits. */
function decimalDigits(x: number, prec: number): { digits: string; dp: number } {
  if (prec >= 0) return roundDigits(exactDigits(x), Math.max(prec, 1));
  const [mant, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: mant.replace('.', ''), dp: Number(exp) + 1 };
}

function fmtE(digits: string, dp: number, prec: number, e: string): string {
  let out = digits[0]!;
  if (prec > 0) out += '.' + digits.slice(1, 1 + prec).padEnd(prec, '0');
  const exp = digits === '0' ? 0 : dp - 1;
  return out + e + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
}

function fmtF(digits: string, dp: number, prec: number): string {
  let out = dp > 0 ? digits.slice(0, dp).padEnd(dp, '0') : '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = dp + i;
      out += j >= 0 && j < digits.length ? digits[j] : '0';
    }
  }
  return out;
}

/** strconv.FormatFloat(x, fmt, prec, 64); prec -1 means the shortest exact representation. */
export function formatFloat(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (fmt === 'b') return formatBinaryExponent(x);
  if (fmt === 'x') return formatHexFloat(x, prec);
  if (fmt === 'X') return formatHexFloat(x, prec).toUpperCase();
  const lower = fmt.toLowerCase();
  if (lower === 'f' && prec >= 0) {
    const exact = exactDigits(x);
    const r = roundDigits(exact, exact.dp + prec);
    return sign + fmtF(r.digits === '0' ? '0' : r.digits, r.digits === '0' ? 1 : r.dp, prec);
  }
  if (lower === 'e' && prec >= 0) {
    const r = roundDigits(exactDigits(x), prec + 1);
    return sign + fmtE(r.digits, r.dp, prec, fmt === 'E' ? 'E' : 'e');
  }
  const shortest = prec < 0;
  const p = lower === 'g' && prec === 0 ? 1 : prec;
  const { digits, dp } = decimalDigits(x, lower === 'g' ? p : -1);
  const nd = digits.length;
  if (lower === 'e') return sign + fmtE(digits, dp, nd - 1, fmt === 'E' ? 'E' : 'e');
  if (lower === 'f') return sign + fmtF(digits, dp, Math.max(nd - dp, 0));
  let eprec = shortest ? 6 : p;
  if (!shortest && eprec > nd && nd >= dp) eprec = nd;
  const exp = digits === '0' ? 0 : dp - 1;
  let q = shortest ? nd : p;
  if (exp < -4 || exp >= eprec) {
    if (q > nd) q = nd;
    return sign + fmtE(digits, dp, q - 1, fmt === 'G' ? 'E' : 'e');
  }
  if (q > dp) q = nd;
  return sign + fmtF(digits, dp, Math.max(q - dp, 0));
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
export const isPrintRune = (c: string): boolean => PRINTABLE.test(c);

function escapeRune(cp: number, quote: number, asciiOnly: boolean): string {
  const c = String.fromCodePoint(cp);
  if (cp === quote || cp === 0x5c) return '\\' + c;
  if (asciiOnly ? cp < 0x80 && isPrintRune(c) : isPrintRune(c)) return c;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
  if (named[cp] !== undefined) return named[cp]!;
  if (cp < 0x20 || cp === 0x7f) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd;
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/** strconv.Quote (or QuoteToASCII). */
export function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, 0x22, asciiOnly);
  return out + '"';
}

/** strconv.QuoteRune. */
export function quoteRune(cp: number, asciiOnly = false): string {
  if (cp > 0x10ffff || cp < 0 || (cp >= 0xd800 && cp < 0xe000)) cp = 0xfffd;
  return "'" + escapeRune(cp, 0x27, asciiOnly) + "'";
}

/** fmt's %v for any value; `top` distinguishes a missing value (empty) from a nested nil. */
export function formatValue(v: unknown, top = true): string {
  switch (kindOf(v)) {
    case 'invalid': return top ? '' : '<nil>';
    case 'nil': return '<nil>';
    case 'bool': return v ? 'true' : 'false';
    case 'int': return String(v);
    case 'float': return formatFloat(toNumber(v), 'g', -1);
    case 'complex': {
      const c = v as GoComplex;
      const im = formatFloat(c.im, 'g', -1);
      return `(${formatFloat(c.re, 'g', -1)}${/^[+-]/.test(im) ? '' : '+'}${im}i)`;
    }
    case 'string': return v as string;
    case 'slice': return '[' + (v as unknown[]).map((e) => formatValue(e, false)).join(' ') + ']';
    case 'map': return 'map[' + mapEntries(v).map(([k, e]) => formatValue(k, false) + ':' + formatValue(e, false)).join(' ') + ']';
    case 'struct': return '{' + Object.values(v as object).map((e) => formatValue(e, false)).join(' ') + '}';
    case 'func': return `func ${structName(v as object) ?? ''}`.trim();
  }
}
