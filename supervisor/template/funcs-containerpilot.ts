// ContainerPilot v3's template functions (config/template/template.go), same names, argument
// order and Go types: the piped value is always the last argument.
import { FuncError, INTERNAL, type FuncSig, type TemplateFunc } from './func-types.js';
import { formatValue } from './format.js';
import { RegexError, compileGoRegex, goReplaceAll } from './regex.js';
import { GoFloat, NO_VALUE, kindOf, typeName, typedSlice } from './values.js';

/** The largest list `loop` builds; beyond it a template would exhaust memory. */
export const MAX_LOOP = 1_000_000;

/** default(defaultValue, value): value when it is a non-empty string, else the default printed with %v. */
function defaultValue(def: unknown, value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof def === 'string') return def;
  return formatValue(def === NO_VALUE ? null : def, false);
}

/** split(sep, s): strings.Split of the trimmed string; an empty string gives an empty list. */
function split(sep: string, s: string): string[] {
  const t = s.trim();
  if (t === '') return typedSlice('string', []);
  return typedSlice('string', sep === '' ? [...t] : t.split(sep));
}

const join = (sep: string, s: string[] | null): string => (s ?? []).join(sep);

/** strings.Replace(s, from, to, -1); an empty `from` matches before every rune and at the end. */
function replaceAll(from: string, to: string, s: string): string {
  if (from === '') return to + [...s].map((c) => c + to).join('');
  return s.split(from).join(to);
}

function regexReplaceAll(re: string, to: string, s: string): string {
  try {
    return goReplaceAll(compileGoRegex(re), s, to);
  } catch (e) {
    if (e instanceof RegexError) throw new FuncError(e.message);
    throw e;
  }
}

/** Go's ensureInt: an int, or a string holding a decimal integer (strconv.Atoi). */
function ensureInt(v: unknown): number {
  if (typeof v === 'string' || v === undefined) {
    const s = v ?? '';
    if (!/^[+-]?[0-9]+$/.test(s)) throw new FuncError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new FuncError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
    return n;
  }
  if (kindOf(v) === 'int' && !(v instanceof GoFloat)) return Number(v);
  const t = v === null || v === NO_VALUE ? 'nil' : typeName(v);
  throw new FuncError(`interface conversion: interface {} is ${t}, not int`);
}

/** loop(n) = 0..n-1; loop(a, b) counts from a towards b (down when b < a), b excluded. */
function loop(...params: unknown[]): number[] {
  if (params.length !== 1 && params.length !== 2) {
    throw new FuncError(`loop: wrong number of arguments, expected 1 or 2, but got ${params.length}`);
  }
  const [start, stop] = params.length === 1 ? [0, ensureInt(params[0])] : [ensureInt(params[0]), ensureInt(params[1])];
  if (Math.abs(stop - start) > MAX_LOOP) throw new FuncError(`loop: more than ${MAX_LOOP} iterations`);
  const out: number[] = typedSlice('int', []);
  if (stop < start) for (let i = start; i > stop; i--) out.push(i);
  else for (let i = start; i < stop; i++) out.push(i);
  return out;
}

function def(sig: FuncSig, fn: (...args: never[]) => unknown): TemplateFunc {
  return Object.assign(fn, { sig, [INTERNAL]: true });
}

/**
 * The ContainerPilot functions. `env` reads the given environment (ContainerPilot reads the
 * process environment, which is also its template data).
 */
export function containerPilotFuncs(env: Record<string, string | undefined>): Map<string, TemplateFunc> {
  return new Map<string, TemplateFunc>([
    ['default', def({ params: ['any', 'any'] }, defaultValue)],
    ['env', def({ params: ['string'] }, (name: string) => (Object.prototype.hasOwnProperty.call(env, name) ? env[name] ?? '' : ''))],
    ['split', def({ params: ['string', 'string'] }, split)],
    ['join', def({ params: ['string', 'strings'] }, join)],
    ['replaceAll', def({ params: ['string', 'string', 'string'] }, replaceAll)],
    ['regexReplaceAll', def({ params: ['string', 'string', 'string'] }, regexReplaceAll)],
    ['loop', def({ params: [], variadic: 'any' }, loop)],
  ]);
}
