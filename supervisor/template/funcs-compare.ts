// The comparison builtins eq, ne, lt, le, gt, ge with Go's rules: basic kinds compare by value,
// mixing kinds is an error, ordered comparison needs ints, floats or strings.
import { FuncError } from './func-types.js';
import { formatValue } from './format.js';
import { type GoComplex, NO_VALUE, compareStrings, kindOf, toNumber, typeName } from './values.js';

type Basic = 'bool' | 'int' | 'float' | 'complex' | 'string' | 'invalid' | 'other';

/** nil, a nil interface and no value are all Go's invalid value here. */
function basic(v: unknown): Basic {
  if (v === null || v === undefined || v === NO_VALUE) return 'invalid';
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'float' || k === 'complex' || k === 'string' ? k : 'other';
}

const norm = (v: unknown): unknown => (v === undefined || v === NO_VALUE ? null : v);

function incompatible(a: unknown, b: unknown): FuncError {
  return new FuncError(`incompatible types for comparison: ${typeName(norm(a))} and ${typeName(norm(b))}`);
}

function comparable(v: unknown): boolean {
  const k = kindOf(v);
  if (k === 'slice' || k === 'map' || k === 'func') return false;
  if (k === 'struct') return Object.values(v as object).every(comparable);
  return true;
}

function deepEqual(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  if (ka === 'int' || ka === 'float') return toNumber(a) === toNumber(b);
  if (ka === 'struct') {
    const va = Object.values(a as object);
    const vb = Object.values(b as object);
    return va.length === vb.length && va.every((x, i) => deepEqual(x, vb[i]));
  }
  return a === b;
}

export function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg2.length === 0) throw new FuncError('missing argument for comparison');
  const a = norm(arg1);
  const k1 = basic(arg1);
  for (const raw of arg2) {
    const b = norm(raw);
    const k2 = basic(raw);
    let truth = false;
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw incompatible(arg1, raw);
    } else if (k1 === 'int' || k1 === 'float') truth = toNumber(a) === toNumber(b);
    else if (k1 === 'bool' || k1 === 'string') truth = a === b;
    else if (k1 === 'complex') truth = (a as GoComplex).re === (b as GoComplex).re && (a as GoComplex).im === (b as GoComplex).im;
    else if (k1 === 'invalid') truth = true;
    else {
      const nil1 = a === null;
      const nil2 = b === null;
      if (nil1 || nil2) truth = nil1 === nil2;
      else {
        if (!comparable(a) || !comparable(b)) throw new FuncError(`non-comparable type ${formatValue(b)}: ${typeName(b)}`);
        truth = deepEqual(a, b);
      }
    }
    if (truth) return true;
  }
  return false;
}

export function ne(a: unknown, b: unknown): boolean {
  return !eq(a, b);
}

export function lt(arg1: unknown, arg2: unknown): boolean {
  const k1 = basic(arg1);
  const k2 = basic(arg2);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new FuncError('invalid type for comparison');
  if (k1 !== k2) throw incompatible(arg1, arg2);
  if (k1 === 'bool' || k1 === 'complex') throw new FuncError('invalid type for comparison');
  if (k1 === 'string') return compareStrings(norm(arg1) as string, norm(arg2) as string) < 0;
  return toNumber(arg1) < toNumber(arg2);
}

export const le = (a: unknown, b: unknown): boolean => lt(a, b) || eq(a, b);
export const gt = (a: unknown, b: unknown): boolean => !le(a, b);
export const ge = (a: unknown, b: unknown): boolean => !lt(a, b);
