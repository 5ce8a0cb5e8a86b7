// Parser for Go's regexp syntax (RE2): literals and escapes, classes (ranges, \d \s \w, POSIX,
// \p{...}), groups (capturing, named, flags), repetition, anchors. Builds the tree re-vm.ts runs.

export class RegexError extends Error {}

/** A set of code points: ranges plus predicates for Unicode properties. */
export interface CharSet { ranges: [number, number][]; preds: ((c: string) => boolean)[]; neg: boolean; fold: boolean }

export type ReNode =
  | { t: 'set'; set: CharSet }
  | { t: 'assert'; kind: 'bol' | 'eol' | 'bot' | 'eot' | 'word' | 'nonword' }
  | { t: 'cat'; items: ReNode[] }
  | { t: 'alt'; items: ReNode[] }
  | { t: 'group'; cap: number; node: ReNode }
  | { t: 'rep'; node: ReNode; min: number; max: number; greedy: boolean };

interface Flags { i: boolean; m: boolean; s: boolean; U: boolean }

const err = (code: string, arg: string): never => { throw new RegexError(`error parsing regexp: ${code}: \`${arg}\``); };
const set = (ranges: [number, number][], neg = false, fold = false): CharSet => ({ ranges, preds: [], neg, fold });
const DIGIT: [number, number][] = [[48, 57]];
const SPACE: [number, number][] = [[9, 10], [12, 13], [32, 32]];
const WORD: [number, number][] = [[48, 57], [65, 90], [95, 95], [97, 122]];
const POSIX: Record<string, [number, number][]> = {
  alnum: [[48, 57], [65, 90], [97, 122]], alpha: [[65, 90], [97, 122]], ascii: [[0, 127]], blank: [[9, 9], [32, 32]],
  cntrl: [[0, 31], [127, 127]], digit: DIGIT, graph: [[33, 126]], lower: [[97, 122]], print: [[32, 126]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]], space: [[9, 13], [32, 32]], upper: [[65, 90]], word: WORD,
  xdigit: [[48, 57], [65, 70], [97, 102]],
};

/** Complement of sorted ranges over all code points. */
function negate(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

function unicodeClass(name: string, neg: boolean): CharSet {
  let re: RegExp;
  try {
    re = new RegExp(`^\\p{${name === 'Any' ? 'Any' : name.length <= 2 ? name : 'Script=' + name}}$`, 'u');
  } catch {
    return err('invalid character class range', `\\p{${name}}`);
  }
  return { ranges: [], preds: [(c) => re.test(c)], neg, fold: false };
}

export interface Parsed { node: ReNode; groups: number; names: Map<string, number[]> }

export function parseRegex(src: string): Parsed {
  const cps = [...src];
  let i = 0;
  let groups = 0;
  const names = new Map<string, number[]>();
  const peek = (k = 0): string | undefined => cps[i + k];

  // Escapes shared by classes and the top level; returns a code point or a set.
  const escape = (inClass: boolean, flags: Flags): number | CharSet => {
    const c = cps[i++];
    if (c === undefined) return err('trailing backslash at end of expression', '');
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (simple[c] !== undefined) return simple[c];
    if (c >= '0' && c <= '7' && (c === '0' || (peek() ?? '') >= '0' && (peek() ?? '') <= '7')) {
      let oct = c;
      while (oct.length < 3 && peek() !== undefined && peek()! >= '0' && peek()! <= '7') oct += cps[i++];
      return parseInt(oct, 8);
    }
    if (c === 'x') {
      if (peek() === '{') {
        const close = cps.indexOf('}', i);
        const hex = cps.slice(i + 1, close).join('');
        if (close < 0 || !/^[0-9a-fA-F]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) return err('invalid escape sequence', '\\x{' + hex);
        i = close + 1;
        return parseInt(hex, 16);
      }
      const hex = cps.slice(i, i + 2).join('');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return err('invalid escape sequence', '\\x' + hex);
      i += 2;
      return parseInt(hex, 16);
    }
    const fold = flags.i && !inClass;
    if (c === 'd' || c === 'D') return set(DIGIT, c === 'D', fold);
    if (c === 's' || c === 'S') return set(SPACE, c === 'S', fold);
    if (c === 'w' || c === 'W') return set(WORD, c === 'W', fold);
    if (c === 'p' || c === 'P') {
      let name = peek() ?? '';
      if (name === '{') {
        const close = cps.indexOf('}', i);
        if (close < 0) return err('invalid character class range', '\\' + c + cps.slice(i).join(''));
        name = cps.slice(i + 1, close).join('');
        i = close + 1;
      } else i++;
      const neg = name.startsWith('^');
      return unicodeClass(neg ? name.slice(1) : name, neg !== (c === 'P'));
    }
    if (c.codePointAt(0)! < 0x80 && !/[0-9A-Za-z]/.test(c)) return c.codePointAt(0)!;
    return err('invalid escape sequence', '\\' + c);
  };

  const parseClass = (flags: Flags): CharSet => {
    const start = i - 1;
    const cls: CharSet = { ranges: [], preds: [], neg: false, fold: flags.i };
    if (peek() === '^') { cls.neg = true; i++; }
    let first = true;
    while (first || peek() !== ']') {
      if (peek() === undefined) return err('missing closing ]', cps.slice(start).join(''));
      first = false;
      if (peek() === '[' && peek(1) === ':') {
        const rest = cps.slice(i).join('');
        const close = rest.indexOf(':]');
        if (close >= 0) {
          const raw = rest.slice(2, close);
          const name = raw.replace(/^\^/, '');
          const r = POSIX[name];
          if (r === undefined) return err('invalid character class range', `[:${raw}:]`);
          cls.ranges.push(...(raw.startsWith('^') ? negate(r) : r));
          i += [...rest.slice(0, close + 2)].length;
          continue;
        }
      }
      let lo: number | CharSet;
      const c = cps[i++]!;
      if (c === '\\') lo = escape(true, flags);
      else lo = c.codePointAt(0)!;
      if (typeof lo !== 'number') {
        const s = lo;
        if (s.preds.length) cls.preds.push(s.neg ? (x) => !s.preds[0]!(x) : s.preds[0]!);
        else cls.ranges.push(...(s.neg ? negate(s.ranges) : s.ranges));
        continue;
      }
      let hi = lo;
      if (peek() === '-' && peek(1) !== ']' && peek(1) !== undefined) {
        i++;
        const d = cps[i++]!;
        const h = d === '\\' ? escape(true, flags) : d.codePointAt(0)!;
        if (typeof h !== 'number' || h < lo) return err('invalid character class range', String.fromCodePoint(lo) + '-' + (typeof h === 'number' ? String.fromCodePoint(h) : ''));
        hi = h;
      }
      cls.ranges.push([lo, hi]);
    }
    i++;
    return cls;
  };

  const parseAlt = (flags: Flags, depth: number): ReNode => {
    const alts: ReNode[] = [];
    let items: ReNode[] = [];
    for (;;) {
      const c = peek();
      if (c === undefined || c === ')') {
        if (c === ')' && depth === 0) err('unexpected )', src);
        alts.push({ t: 'cat', items });
        return alts.length === 1 ? alts[0]! : { t: 'alt', items: alts };
      }
      i++;
      if (c === '|') { alts.push({ t: 'cat', items }); items = []; continue; }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(cps.slice(i - 1, i + 12).join('')))) {
        const last = items[items.length - 1];
        if (last === undefined) err('missing argument to repetition operator', c);
        if (last!.t === 'rep' && !(last as { paren?: boolean }).paren) err('invalid nested repetition operator', c);
        let min = c === '+' ? 1 : 0;
        let max = c === '?' ? 1 : Infinity;
        if (c === '{') {
          const m = /^\{(\d+)(,(\d*))?\}/.exec(cps.slice(i - 1).join(''))!;
          min = Number(m[1]);
          max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
          if (min > 1000 || (max !== Infinity && (max > 1000 || max < min))) err('invalid repeat count', m[0]);
          i += m[0].length - 1;
        }
        let greedy = !flags.U;
        if (peek() === '?') { i++; greedy = !greedy; }
        items[items.length - 1] = { t: 'rep', node: last!, min, max, greedy };
        continue;
      }
      if (c === '(') {
        if (peek() === '?') {
          const m = /^\?(P?<([A-Za-z0-9_]+)>|([imsU]*)(?:-([imsU]*))?(:|\)))/.exec(cps.slice(i).join(''));
          if (!m) return err('invalid or unsupported Perl syntax', '(' + cps.slice(i, i + 2).join(''));
          i += [...m[0]].length;
          if (m[2] !== undefined) {
            const cap = ++groups;
            names.set(m[2], [...(names.get(m[2]) ?? []), cap]);
            items.push(group(cap, parseAlt({ ...flags }, depth + 1)));
            continue;
          }
          const nf = { ...flags };
          for (const f of m[3] ?? '') nf[f as keyof Flags] = true;
          for (const f of m[4] ?? '') nf[f as keyof Flags] = false;
          if (m[5] === ')') { Object.assign(flags, nf); continue; }
          items.push(group(-1, parseAlt(nf, depth + 1)));
          continue;
        }
        const cap = ++groups;
        items.push(group(cap, parseAlt({ ...flags }, depth + 1)));
        continue;
      }
      if (c === '[') { items.push({ t: 'set', set: parseClass(flags) }); continue; }
      if (c === '.') { items.push({ t: 'set', set: set(flags.s ? [] : [[10, 10]], true) }); continue; }
      if (c === '^') { items.push({ t: 'assert', kind: flags.m ? 'bol' : 'bot' }); continue; }
      if (c === '$') { items.push({ t: 'assert', kind: flags.m ? 'eol' : 'eot' }); continue; }
      if (c === '\\') {
        const n = peek();
        if (n === 'A' || n === 'z' || n === 'b' || n === 'B') {
          i++;
          items.push({ t: 'assert', kind: n === 'A' ? 'bot' : n === 'z' ? 'eot' : n === 'b' ? 'word' : 'nonword' });
          continue;
        }
        if (n === 'Q') {
          const rest = cps.slice(i + 1).join('');
          const end = rest.indexOf('\\E');
          const lit = end < 0 ? rest : rest.slice(0, end);
          for (const ch of lit) items.push(literal(ch.codePointAt(0)!, flags));
          i += 1 + [...lit].length + (end < 0 ? 0 : 2);
          continue;
        }
        const e = escape(false, flags);
        items.push(typeof e === 'number' ? literal(e, flags) : { t: 'set', set: e });
        continue;
      }
      items.push(literal(c.codePointAt(0)!, flags));
    }
  };

  function group(cap: number, node: ReNode): ReNode {
    if (peek() !== ')') err('missing closing )', src);
    i++;
    return Object.assign({ t: 'group' as const, cap, node }, { paren: true });
  }
  const literal = (cp: number, flags: Flags): ReNode => ({ t: 'set', set: set([[cp, cp]], false, flags.i) });

  const node = parseAlt({ i: false, m: false, s: false, U: false }, 0);
  return { node, groups, names };
}
