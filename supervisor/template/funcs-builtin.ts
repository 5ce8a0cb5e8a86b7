// text/template's predefined functions (funcs.go), with Go's argument types and error texts.
import { FuncError, INTERNAL, type FuncSig, type TemplateFunc } from './func-types.js';
import { formatValue, isPrintRune } from './format.js';
import { eq, ge, gt, le, lt, ne } from './funcs-compare.js';
import { sprintf } from './printf.js';
import { NO_VALUE, isTrue, kindOf, mapGet, mapSize, typeName, utf8Bytes } from './values.js';

const decoder = new TextDecoder();
const isNil = (v: unknown): boolean => v === null || v === undefined || v === NO_VALUE;

function indexArg(index: unknown, cap: number): number {
  if (isNil(index)) throw new FuncError('cannot index slice/array with nil');
  if (kindOf(index) !== 'int') throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  const x = Number(index);
  if (x < 0 || x > cap) throw new FuncError(`index out of range: ${x}`);
  return x;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) throw new FuncError('index of untyped nil');
  let cur = item;
  for (const idx of indexes) {
    if (isNil(cur)) throw new FuncError('index of nil pointer');
    switch (kindOf(cur)) {
      case 'slice': case 'string': {
        const seq = typeof cur === 'string' ? utf8Bytes(cur) : (cur as unknown[]);
        const x = indexArg(idx, seq.length);
        if (x === seq.length) throw new FuncError(`index out of range: ${x}`);
        cur = seq[x];
        break;
      }
      case 'map': {
        const key = idx;
        if (isNil(key)) throw new FuncError('value is nil; should be of type string');
        if (!(cur instanceof Map) && typeof key !== 'string') throw new FuncError(`value has type ${typeName(key)}; should be string`);
        cur = mapGet(cur, key);
        break;
      }
      default: throw new FuncError(`can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) throw new FuncError('slice of untyped nil');
  const v = item;
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(v);
  if (kind === 'string' && indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
  if (kind !== 'string' && kind !== 'slice') throw new FuncError(`can't slice item of type ${typeName(v)}`);
  const seq = typeof v === 'string' ? utf8Bytes(v) : (v as unknown[]);
  const idx = [0, seq.length, seq.length];
  indexes.forEach((x, i) => { idx[i] = indexArg(x, seq.length); });
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  return typeof v === 'string' ? decoder.decode((seq as Uint8Array).slice(idx[0], idx[1])) : (seq as unknown[]).slice(idx[0], idx[1]);
}

function len(item: unknown): number {
  if (isNil(item)) throw new FuncError('len of nil pointer');
  const v = item;
  switch (kindOf(v)) {
    case 'string': return utf8Bytes(v as string).length;
    case 'slice': return (v as unknown[]).length;
    case 'map': return mapSize(v);
    default: throw new FuncError(`len of type ${typeName(v)}`);
  }
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
function sprint(args: unknown[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatValue(a === NO_VALUE ? null : a, false);
    prevString = isString;
  });
  return out;
}

const sprintln = (args: unknown[]): string => args.map((a) => formatValue(a === NO_VALUE ? null : a, false)).join(' ') + '\n';

/** evalArgs: the single string argument, or all arguments printed as by print. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  // Go prints an invalid value here as "<no value>"; this engine prints nothing instead.
  const printable = args.map((a) => (a === undefined || a === null || a === NO_VALUE ? '' : a));
  if (printable.length === 1 && typeof printable[0] === 'string') return printable[0];
  return sprint(printable);
}

const HTML: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' };
const htmlEscape = (s: string): string => s.replace(/["'&<>\0]/g, (c) => HTML[c]!);

const JS: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };
function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (JS[c] !== undefined) out += JS[c];
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp >= 0x80 && !isPrintRune(c)) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
    else out += c;
  }
  return out;
}

function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (isNil(fn)) throw new FuncError('call of nil');
  if (typeof fn !== 'function') throw new FuncError(`non-function of type ${typeName(fn)}`);
  return (fn as (...a: unknown[]) => unknown)(...args.map((a) => (a === NO_VALUE ? undefined : a)));
}

function def(sig: FuncSig, fn: (...args: never[]) => unknown): TemplateFunc {
  return Object.assign(fn, { sig, [INTERNAL]: true });
}

const V: FuncSig = { params: ['value'] };
const V_VARIADIC: FuncSig = { params: ['value'], variadic: 'value' };
const VV: FuncSig = { params: ['value', 'value'] };
const ANY: FuncSig = { params: [], variadic: 'any' };

/** A fresh map of the builtins (and/or are short-circuited by the evaluator itself). */
export function builtinFuncs(): Map<string, TemplateFunc> {
  return new Map<string, TemplateFunc>([
    ['and', def(V_VARIADIC, () => undefined)],
    ['or', def(V_VARIADIC, () => undefined)],
    ['not', def(V, (a: unknown) => !isTrue(a))],
    ['len', def(V, len)],
    ['index', def(V_VARIADIC, index)],
    ['slice', def(V_VARIADIC, slice)],
    ['print', def(ANY, (...a: unknown[]) => sprint(a))],
    ['println', def(ANY, (...a: unknown[]) => sprintln(a))],
    ['printf', def({ params: ['string'], variadic: 'any' }, (f: string, ...a: unknown[]) => sprintf(f, a))],
    ['eq', def(V_VARIADIC, eq)],
    ['ne', def(VV, ne)],
    ['lt', def(VV, lt)],
    ['le', def(VV, le)],
    ['gt', def(VV, gt)],
    ['ge', def(VV, ge)],
    ['html', def(ANY, (...a: unknown[]) => htmlEscape(evalArgs(a)))],
    ['js', def(ANY, (...a: unknown[]) => jsEscape(evalArgs(a)))],
    ['urlquery', def(ANY, (...a: unknown[]) => queryEscape(evalArgs(a)))],
    ['call', def(V_VARIADIC, call)],
  ]);
}
