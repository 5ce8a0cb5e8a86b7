// Go's default formatting (%v) of values, strconv float formatting and quoting.
import { kindOf, mapEntries, structName, toNumber } from './values.js';

/** Decimal digits and decimal-point position of |x|, shortest (prec < 0) or to `prec` significant digits. */
function decimalDigits(x: number, prec: number): { digits: string; dp: number } {
  const s = prec < 0 ? Math.abs(x).toExponential() : Math.abs(x).toExponential(Math.min(Math.max(prec - 1, 0), 100));
  const [mant, exp] = s.split('e') as [string, string];
  let digits = mant.replace('.', '');
  if (prec >= 0) digits = digits.replace(/(?<=.)0+$/, '');
  return { digits, dp: Number(exp) + 1 };
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
  const lower = fmt.toLowerCase();
  if (lower === 'f' && prec >= 0) {
    const a = Math.abs(x);
    const body = a >= 1e21 ? BigInt(a).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '') : a.toFixed(Math.min(prec, 100));
    return sign + body;
  }
  if (lower === 'e' && prec >= 0) {
    const [mant, exp] = Math.abs(x).toExponential(Math.min(prec, 100)).split('e') as [string, string];
    return sign + fmtE(mant.replace('.', ''), Number(exp) + 1, prec, fmt === 'E' ? 'E' : 'e');
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
    case 'string': return v as string;
    case 'slice': return '[' + (v as unknown[]).map((e) => formatValue(e, false)).join(' ') + ']';
    case 'map': return 'map[' + mapEntries(v).map(([k, e]) => formatValue(k, false) + ':' + formatValue(e, false)).join(' ') + ']';
    case 'struct': return '{' + Object.values(v as object).map((e) => formatValue(e, false)).join(' ') + '}';
    case 'func': return `func ${structName(v as object) ?? ''}`.trim();
  }
}
