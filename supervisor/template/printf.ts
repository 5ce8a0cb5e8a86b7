// fmt.Sprintf for template values, following fmt's doPrintf: flags, width and precision
// (also from * arguments), [n] argument indexes, and the in-band error forms
// %!v(MISSING), %!v(BADINDEX), %!(BADWIDTH), %!(BADPREC), %!(NOVERB), %!(EXTRA ...).
import { formatArg, type Spec } from './fmt-verbs.js';
import { kindOf, typeName } from './values.js';

const tooLarge = (n: number): boolean => n > 1e6 || n < -1e6;

/** fmt.Sprintf; nil interfaces and invalid values format as nil. */
export function sprintf(format: string, rawArgs: unknown[]): string {
  const a = rawArgs.map((x) => (x === undefined || typeof x === 'symbol' ? null : x));
  const s = [...format];
  const end = s.length;
  let out = '';
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const parsenum = (start: number): { num: number; isnum: boolean; next: number } => {
    if (start >= end) return { num: 0, isnum: false, next: end };
    let num = 0;
    let isnum = false;
    let i = start;
    for (; i < end && s[i]! >= '0' && s[i]! <= '9'; i++) {
      if (tooLarge(num)) return { num: 0, isnum: false, next: end };
      num = num * 10 + Number(s[i]);
      isnum = true;
    }
    return { num, isnum, next: i };
  };
  // Returns [argNum, i, found] as fmt's argNumber does.
  const argNumber = (i: number): [number, number, boolean] => {
    if (i >= end || s[i] !== '[') return [argNum, i, false];
    reordered = true;
    let index = 0;
    let wid = 1;
    let ok = false;
    if (end - i >= 3) {
      for (let j = i + 1; j < end; j++) {
        if (s[j] === ']') {
          const p = parsenum(i + 1);
          wid = j - i + 1;
          ok = p.isnum && p.next === j;
          index = p.num - 1;
          break;
        }
      }
    }
    if (ok && index >= 0 && index < a.length) return [index, i + wid, true];
    goodArgNum = false;
    return [argNum, i + wid, ok];
  };
  const intFromArg = (): { num: number; isInt: boolean } => {
    if (argNum >= a.length) return { num: 0, isInt: false };
    const v = a[argNum++];
    if (kindOf(v) !== 'int' || typeof v === 'object') return { num: 0, isInt: false };
    const num = Number(v);
    return tooLarge(num) ? { num: 0, isInt: false } : { num, isInt: true };
  };

  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && s[i] !== '%') i++;
    if (i > lasti) out += s.slice(lasti, i).join('');
    if (i >= end) break;
    i++;
    const f: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < end; i++) {
      const c = s[i];
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = !f.minus;
      else if (c === '+') f.plus = true;
      else if (c === '-') { f.minus = true; f.zero = false; } else if (c === ' ') f.space = true;
      else break;
    }
    [argNum, i, afterIndex] = argNumber(i);
    if (i < end && s[i] === '*') {
      i++;
      const w = intFromArg();
      if (!w.isInt) out += '%!(BADWIDTH)';
      else {
        f.wid = Math.abs(w.num);
        if (w.num < 0) { f.minus = true; f.zero = false; }
      }
      afterIndex = false;
    } else {
      const p = parsenum(i);
      i = p.next;
      if (p.isnum) f.wid = p.num;
      if (afterIndex && p.isnum) goodArgNum = false;
    }
    if (i + 1 < end && s[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      [argNum, i, afterIndex] = argNumber(i);
      if (i < end && s[i] === '*') {
        i++;
        const p = intFromArg();
        if (p.isInt && p.num >= 0) f.prec = p.num;
        else out += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const p = parsenum(i);
        i = p.next;
        f.prec = p.isnum ? p.num : 0;
      }
    }
    if (!afterIndex) [argNum, i, afterIndex] = argNumber(i);
    if (i >= end) { out += '%!(NOVERB)'; break; }
    const verb = s[i++]!;
    if (verb === '%') out += '%';
    else if (!goodArgNum) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= a.length) out += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      out += formatArg(a[argNum++], verb, f);
    }
  }
  if (!reordered && argNum < a.length) {
    out += '%!(EXTRA ' + a.slice(argNum).map((x) => (x === null ? '<nil>' : `${typeName(x)}=${formatArg(x, 'v', { minus: false, plus: false, sharp: false, space: false, zero: false })}`)).join(', ') + ')';
  }
  return out;
}
