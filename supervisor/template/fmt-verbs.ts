// fmt's formatting of one operand for one verb and its flags, including Go's in-band
// error form %!d(string=x), as used by printf.
import { formatFloat, formatValue, isPrintRune, quote, quoteRune } from './format.js';
import { type GoComplex, kindOf, mapEntries, toNumber, typeName, utf8Bytes } from './values.js';

export interface Spec {
  minus: boolean; plus: boolean; sharp: boolean; space: boolean; zero: boolean;
  /** %#v (Go syntax) and %+v (struct field names), split off sharp and plus as fmt does. */
  sharpV?: boolean; plusV?: boolean; wid?: number; prec?: number;
}

const runeCount = (s: string): number => [...s].length;

function pad(s: string, f: Spec, allowZero = true): string {
  // No width, or one the string surely fills (a rune is at most 2 UTF-16 units): counting the
  // runes of a long operand would cost far more than the formatting.
  if (f.wid === undefined || s.length >= 2 * f.wid) return s;
  const w = f.wid - runeCount(s);
  if (w <= 0) return s;
  if (f.minus) return s + ' '.repeat(w);
  return (f.zero && allowZero ? '0' : ' ').repeat(w) + s;
}

function fmtInteger(n: bigint, verb: string, f: Spec): string {
  if (verb === 'c') return pad(String.fromCodePoint(Number(n) >= 0 && Number(n) <= 0x10ffff ? Number(n) : 0xfffd), f);
  if (verb === 'q') return pad(quoteRune(Number(n), f.plus), f);
  if (verb === 'U') {
    const u = 'U+' + (n < 0n ? n + (1n << 64n) : n).toString(16).toUpperCase().padStart(4, '0');
    const printable = n >= 0n && n <= 0x10ffffn && !(n >= 0xd800n && n < 0xe000n) && isPrintRune(String.fromCodePoint(Number(n)));
    return pad(f.sharp && printable ? `${u} '${String.fromCodePoint(Number(n))}'` : u, f, false);
  }
  const base = verb === 'x' || verb === 'X' ? 16 : verb === 'o' || verb === 'O' ? 8 : verb === 'b' ? 2 : 10;
  const neg = n < 0n;
  let digits = (neg ? -n : n).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  let prec = -1;
  if (f.prec !== undefined) {
    prec = f.prec;
    if (prec === 0 && n === 0n) return ' '.repeat(Math.max(f.wid ?? 0, 0));
  } else if (f.zero && f.wid !== undefined && !f.minus) {
    prec = f.wid - (neg || f.plus || f.space ? 1 : 0);
  }
  if (prec > digits.length) digits = '0'.repeat(prec - digits.length) + digits;
  if (f.sharp) {
    if (base === 8 && !digits.startsWith('0')) digits = '0' + digits;
    else if (base === 16) digits = (verb === 'X' ? '0X' : '0x') + digits;
    else if (base === 2) digits = '0b' + digits;
  }
  if (verb === 'O') digits = '0o' + digits;
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  return pad(sign + digits, f, false);
}

/** The # flag on floats: always a decimal point, and %g keeps its trailing zeros. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 'gGxX'.includes(verb) ? (prec < 0 ? 6 : prec) : 0;
  if (verb === 'x' || verb === 'X') digits = prec < 0 ? 6 : prec;
  const signLen = /^[+\- ]/.test(num) ? 1 : 0;
  let body = num.slice(signLen);
  let tail = '';
  const cut = body.search(verb === 'x' || verb === 'X' ? /[pP]/ : /[eEpP]/);
  if (cut >= 0) { tail = body.slice(cut); body = body.slice(0, cut); }
  let sawNonzero = false;
  for (const c of body) {
    if (c === '.') continue;
    if (c !== '0') sawNonzero = true;
    if (sawNonzero) digits--;
  }
  if (!body.includes('.')) {
    if (body === '0') digits--;
    body += '.';
  }
  if (digits > 0) body += '0'.repeat(digits);
  return num.slice(0, signLen) + body + tail;
}

function fmtFloat(x: number, verb: string, f: Spec): string {
  const v = verb === 'v' ? 'g' : verb === 'F' ? 'f' : verb;
  const prec = f.prec ?? (v === 'e' || v === 'E' || v === 'f' ? 6 : -1);
  let num = formatFloat(x, v, prec);
  if (f.sharp && v !== 'b' && Number.isFinite(x)) num = sharpFloat(num, v, prec);
  if (!num.startsWith('-') && !num.startsWith('+')) num = (f.plus ? '+' : f.space ? ' ' : '') + num;
  else if (num.startsWith('+') && !f.plus) num = f.space ? ' ' + num.slice(1) : num.slice(1);
  if (!Number.isFinite(x)) return pad(num, f, false);
  if (f.zero && f.wid !== undefined && !f.minus && /^[+\- ]/.test(num)) {
    return num[0] + pad(num.slice(1), { ...f, wid: f.wid - 1 });
  }
  return pad(num, f);
}

function fmtString(s: string, verb: string, f: Spec): string {
  if (f.prec !== undefined && verb !== 'x' && verb !== 'X') s = [...s].slice(0, f.prec).join('');
  if (verb === 'q') {
    if (f.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s)) return pad('`' + s + '`', f);
    return pad(quote(s, f.plus), f);
  }
  if (verb === 'x' || verb === 'X') {
    let bytes = [...utf8Bytes(s)];
    if (f.prec !== undefined) bytes = bytes.slice(0, f.prec);
    const hex = bytes.map((b) => b.toString(16).padStart(2, '0'));
    const prefix = f.sharp ? (verb === 'X' ? '0X' : '0x') : '';
    let out = f.space ? hex.map((h) => prefix + h).join(' ') : (hex.length ? prefix : '') + hex.join('');
    if (verb === 'X') out = out.toUpperCase();
    return pad(out, f);
  }
  return pad(s, f);
}

const VERBS: Record<string, string> = {
  bool: 'tv', int: 'vdboOxXcqU', float: 'vbgGfFeExX', complex: 'vbgGfFeExX', string: 'vsxXq',
};

function badVerb(v: unknown, verb: string, f: Spec): string {
  return `%!${verb}(` + (v === null || v === undefined ? '<nil>' : `${typeName(v)}=${formatArg(v, 'v', f)}`) + ')';
}

/** Formats one operand with one verb, recursing into slices, maps and structs like fmt does. */
/** %#v: a Go-syntax representation. */
function goSyntax(v: unknown, nested: boolean): string {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return nested ? 'interface {}(nil)' : '<nil>';
    case 'string': return quote(v as string);
    case 'float': return formatFloat(toNumber(v), 'g', -1);
    case 'slice': return typeName(v) + '{' + (v as unknown[]).map((e) => goSyntax(e, true)).join(', ') + '}';
    case 'map': return typeName(v) + '{' + mapEntries(v).map(([k, e]) => goSyntax(k, true) + ':' + goSyntax(e, true)).join(', ') + '}';
    case 'struct': return typeName(v) + '{' + Object.entries(v as object).map(([k, e]) => `${k}:${goSyntax(e, true)}`).join(', ') + '}';
    default: return formatValue(v, false);
  }
}

export function formatArg(v: unknown, verb: string, f: Spec, nested = false): string {
  if (verb === 'v' && f.sharpV) return pad(goSyntax(v, nested), f);
  if (verb === 'T') return pad(v === null || v === undefined ? '<nil>' : typeName(v), f);
  const kind = kindOf(v);
  switch (kind) {
    case 'invalid': case 'nil': return verb === 'v' || nested ? pad('<nil>', f) : badVerb(v, verb, f);
    case 'complex': {
      if (!VERBS.complex!.includes(verb)) return badVerb(v, verb, f);
      // fmt pads each part; the imaginary part always carries a sign.
      const c = v as GoComplex;
      const parts = { ...f, wid: f.wid };
      return '(' + fmtFloat(c.re, verb, parts) + fmtFloat(c.im, verb, { ...parts, plus: true }) + 'i)';
    }
    case 'bool': case 'int': case 'float': case 'string':
      if (!VERBS[kind]!.includes(verb)) return badVerb(v, verb, f);
      if (kind === 'bool') return pad(v ? 'true' : 'false', f);
      if (kind === 'int') return fmtInteger(BigInt(v as number | bigint), verb === 'v' ? 'd' : verb, f);
      if (kind === 'float') return fmtFloat(toNumber(v), verb, f);
      return fmtString(v as string, verb === 'v' ? 's' : verb, f);
    case 'slice': return '[' + (v as unknown[]).map((e) => formatArg(e, verb, f, true)).join(' ') + ']';
    case 'map': return 'map[' + mapEntries(v).map(([k, e]) => formatArg(k, verb, f, true) + ':' + formatArg(e, verb, f, true)).join(' ') + ']';
    case 'struct':
      return '{' + Object.entries(v as object).map(([k, e]) => (f.plusV ? k + ':' : '') + formatArg(e, verb, f, true)).join(' ') + '}';
    case 'func': return verb === 'v' ? pad(formatValue(v), f) : badVerb(v, verb, f);
  }
}

