// Go literal decoding: strconv.Unquote / UnquoteChar and the number rules of parse.newNumber.

export class LiteralError extends Error {}

const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/** Decodes one escape starting after the backslash; returns [bytes or rune, next index]. */
function escape(s: string, i: number, quote: string): { rune?: number; byte?: number; next: number } {
  const c = s[i];
  if (c === undefined) throw new LiteralError('invalid syntax');
  const simple = SIMPLE[c];
  if (simple !== undefined) return { rune: simple, next: i + 1 };
  if (c === quote) return { rune: c.charCodeAt(0), next: i + 1 };
  const hex = (n: number): number => {
    const h = s.slice(i + 1, i + 1 + n);
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new LiteralError('invalid syntax');
    return parseInt(h, 16);
  };
  if (c === 'x') return { byte: hex(2), next: i + 3 };
  if (c === 'u' || c === 'U') {
    const n = c === 'u' ? 4 : 8;
    const r = hex(n);
    if (r > 0x10ffff || (r >= 0xd800 && r < 0xe000)) throw new LiteralError('invalid syntax');
    return { rune: r, next: i + 1 + n };
  }
  if (c >= '0' && c <= '7') {
    const o = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) throw new LiteralError('invalid syntax');
    return { byte: parseInt(o, 8), next: i + 3 };
  }
  throw new LiteralError('invalid syntax');
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

/** strconv.Unquote for "..." and `...` literals (raw strings drop carriage returns). */
export function unquote(quoted: string): string {
  if (quoted.startsWith('`')) return quoted.slice(1, -1).replace(/\r/g, '');
  const body = quoted.slice(1, -1);
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch === '"' || ch === '\n') throw new LiteralError('invalid syntax');
    if (ch !== '\\') {
      const cp = body.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      bytes.push(...utf8.encode(s));
      i += s.length;
      continue;
    }
    const e = escape(body, i + 1, '"');
    if (e.byte !== undefined) bytes.push(e.byte);
    else bytes.push(...utf8.encode(String.fromCodePoint(e.rune!)));
    i = e.next;
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** strconv.UnquoteChar on a 'x' literal: the rune value. */
export function unquoteChar(text: string): number {
  const body = text.slice(1, -1);
  if (body.length === 0 || body === "'") throw new LiteralError(`malformed character constant: ${text}`);
  let rune: number;
  let next: number;
  if (body[0] === '\\') {
    const e = escape(body, 1, "'");
    rune = e.rune ?? e.byte!;
    next = e.next;
  } else {
    rune = body.codePointAt(0)!;
    next = String.fromCodePoint(rune).length;
  }
  if (next !== body.length) throw new LiteralError(`malformed character constant: ${text}`);
  return rune;
}

export interface NumberValue {
  isInt: boolean; isFloat: boolean; value: number | bigint; idealFloat: boolean;
  /** Set for imaginary and complex literals (1i, 1+2i), which evaluate to complex128. */
  complex?: { re: number; im: number };
}

/** Imaginary (2i) and complex (1+2i) literals, simplified like parse.NumberNode when imag is 0. */
function parseComplex(text: string): NumberValue {
  const body = text.slice(0, -1);
  let split = -1;
  for (let k = body.length - 1; k > 0; k--) {
    if ((body[k] === '+' || body[k] === '-') && !/[eEpP]/.test(body[k - 1]!)) { split = k; break; }
  }
  const re = split < 0 ? 0 : parseFloat64(body.slice(0, split));
  const im = parseFloat64(split < 0 ? body : body.slice(split));
  if (re === null || im === null) throw new LiteralError(`illegal number syntax: "${text}"`);
  const isInt = im === 0 && Number.isInteger(re);
  return { isInt, isFloat: im === 0, value: re, idealFloat: false, complex: { re, im } };
}

// Each digit run is split at underscores one way only: a pattern like `(_?[0-9]+)*` backtracks
// exponentially on a long literal that does not match (a 400-digit `1000...0.` never finished).
const INT_RE = /^[+-]?(0[xX]_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*|0[bB]_?[01]+(_[01]+)*|0[oO]_?[0-7]+(_[0-7]+)*|0[0-7]*(_[0-7]+)*|[1-9][0-9]*(_[0-9]+)*)$/;
const DEC_FLOAT_RE = /^[+-]?(([0-9]+(_[0-9]+)*)?\.?([0-9]+(_[0-9]+)*)?)([eE][+-]?[0-9]+(_[0-9]+)*)?$/;
const HEX_FLOAT_RE = /^([+-]?)0[xX]_?([0-9a-fA-F_]*)\.?([0-9a-fA-F_]*)[pP]([+-]?[0-9_]+)$/;

function parseInt64(text: string): bigint | null {
  if (!INT_RE.test(text)) return null;
  const neg = text.startsWith('-');
  let t = text.replace(/^[+-]/, '').replace(/_/g, '');
  if (/^0[0-7]+$/.test(t)) t = '0o' + t.slice(1);
  const v = BigInt(t);
  return neg ? -v : v;
}

function parseFloat64(text: string): number | null {
  const hex = HEX_FLOAT_RE.exec(text);
  if (hex) {
    const [, sign, intPart, frac, exp] = hex;
    const digits = (intPart! + frac!).replace(/_/g, '');
    if (digits === '') return null;
    const mant = Number(BigInt('0x' + digits));
    const v = mant * 2 ** (Number(exp!.replace(/_/g, '')) - 4 * frac!.replace(/_/g, '').length);
    return sign === '-' ? -v : v;
  }
  if (!DEC_FLOAT_RE.test(text) || !/[0-9]/.test(text.replace(/[eE].*$/, ''))) return null;
  const v = Number(text.replace(/_/g, ''));
  return Number.isFinite(v) ? v : null;
}

/** Classifies a number literal as parse.newNumber does; throws LiteralError on bad syntax. */
export function parseNumber(text: string): NumberValue {
  if (text.endsWith('i')) return parseComplex(text);
  const isHexInt = /^0[xX]/.test(text) && !/[pP]/.test(text);
  const i = parseInt64(text);
  if (i !== null) {
    if (i > 2n ** 63n - 1n || i < -(2n ** 63n)) throw new LiteralError(`${text} overflows int`);
    const idealFloat = !isHexInt && /[.eEpP]/.test(text);
    // Beyond 2^53 an int stays exact as a bigint.
    const value = i > BigInt(Number.MAX_SAFE_INTEGER) || i < BigInt(Number.MIN_SAFE_INTEGER) ? i : Number(i);
    return { isInt: true, isFloat: true, value, idealFloat };
  }
  const f = parseFloat64(text);
  if (f === null) throw new LiteralError(`illegal number syntax: "${text}"`);
  if (!/[.eEpP]/.test(text)) throw new LiteralError(`integer overflow: ${text}`);
  const isInt = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
  return { isInt, isFloat: true, value: f, idealFloat: !isHexInt };
}
