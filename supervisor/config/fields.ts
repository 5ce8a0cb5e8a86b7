/**
 * Typed field readers over parsed JSON5. Each reader records a problem (naming the field path)
 * instead of throwing, so validation reports every error in one pass. Inputs are "weakly typed"
 * the way ContainerPilot's decoder is: numbers are accepted where strings are expected and
 * numeric strings where integers are expected (readString's `strict` opts out).
 */
import { suggest } from '../../base/suggest.js';
import { shellOperatorIn, splitExecString } from './argv.js';
import { describe, parseCpDuration } from './duration.js';

export type Raw = Record<string, unknown>;

export class Issues {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  constructor(
    readonly file: string,
    /** The tree is the 3.x translation of a 2.x config (what is normal in 2.x is not warned about). */
    readonly fromV2 = false,
  ) {}
  error(path: string, message: string): void {
    this.errors.push(oneLine(`${this.file}: ${path ? path + ': ' : ''}${message}`));
  }
  warn(path: string, message: string): void {
    this.warnings.push(oneLine(`${this.file}: ${path ? path + ': ' : ''}${message}`));
  }
}

/** One problem, one line: a line break inside a quoted key or value is shown as \n. */
const oneLine = (s: string): string => s.replace(/\r\n|\r|\n/g, (m) => JSON.stringify(m).slice(1, -1));

export const child = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** An object with only the allowed keys; `aliases` maps known misspellings to their key. */
export function readObject(
  iss: Issues,
  path: string,
  value: unknown,
  allowed: readonly string[],
  aliases: Record<string, string> = {},
): Raw | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    iss.error(path, `expected an object, got ${describe(value)}`);
    return undefined;
  }
  const out: Raw = Object.create(null) as Raw; // no inherited keys such as "constructor"
  for (const [key, v] of Object.entries(value as Raw)) {
    if (allowed.includes(key)) out[key] = v;
    else if (Object.hasOwn(aliases, key) && !Object.hasOwn(value, aliases[key]!)) {
      iss.warn(child(path, key), `read as "${aliases[key]}" (a misspelling found in ContainerPilot's documentation)`);
      out[aliases[key]!] = v;
    } else {
      const hint = suggest(key, allowed);
      iss.error(child(path, key), `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}; expected one of ${allowed.join(', ')}`);
    }
  }
  return out;
}

/**
 * `strict` refuses numbers and booleans where ContainerPilot's weak decoding would take them but
 * they are surely a slip: a name or a token (a numeric token loses its leading zeros and, past
 * 2^53, its digits on the way through a float).
 */
export function readString(iss: Issues, path: string, value: unknown, opts: { nonEmpty?: boolean; strict?: boolean } = {}): string | undefined {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (!opts.strict && (typeof value === 'number' || typeof value === 'boolean')) s = String(value);
  else {
    iss.error(path, `expected a string, got ${describe(value)}`);
    return undefined;
  }
  if (opts.nonEmpty && s.trim() === '') {
    iss.error(path, 'must not be empty');
    return undefined;
  }
  return s;
}

export function readInt(iss: Issues, path: string, value: unknown, opts: { min?: number; max?: number } = {}): number | undefined {
  let n: number;
  if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) n = Number(value);
  else {
    iss.error(path, `expected an integer, got ${describe(value)}`);
    return undefined;
  }
  if (opts.min !== undefined && n < opts.min) {
    iss.error(path, `must be ${opts.max !== undefined ? `between ${opts.min} and ${opts.max}` : `>= ${opts.min}`}, got ${n}`);
    return undefined;
  }
  if (opts.max !== undefined && n > opts.max) {
    iss.error(path, `must be between ${opts.min ?? 0} and ${opts.max}, got ${n}`);
    return undefined;
  }
  return n;
}

const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

export function readBool(iss: Issues, path: string, value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && TRUE.includes(value)) return true;
  if (typeof value === 'string' && FALSE.includes(value)) return false;
  iss.error(path, `expected true or false, got ${describe(value)}`);
  return undefined;
}

/** A string or an array of strings (a single string becomes a one-element list). */
export function readStrings(iss: Issues, path: string, value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) {
    iss.error(path, `expected a string or an array of strings, got ${describe(value)}`);
    return undefined;
  }
  const out: string[] = [];
  let ok = true;
  value.forEach((v, i) => {
    const s = readString(iss, `${path}[${i}]`, v);
    if (s === undefined) ok = false;
    else out.push(s);
  });
  return ok ? out : undefined;
}

/** A duration in milliseconds (integer seconds or a Go duration string), at least `minMs`. */
export function readDuration(iss: Issues, path: string, value: unknown, opts: { minMs?: number } = {}): number | undefined {
  const r = parseCpDuration(value);
  if (typeof r !== 'number') {
    iss.error(path, r.error);
    return undefined;
  }
  if (opts.minMs !== undefined && r < opts.minMs) {
    iss.error(path, `${JSON.stringify(value)} cannot be less than ${opts.minMs}ms`);
    return undefined;
  }
  return r;
}

/** An `exec`: a string split at each space as ContainerPilot does (no shell, no quoting), or an array. */
export function readExec(iss: Issues, path: string, value: unknown): string[] | undefined {
  let argv: string[] | undefined;
  if (typeof value === 'string') {
    argv = splitExecString(value);
    const op = shellOperatorIn(argv);
    if (op) iss.warn(path, `commands run without a shell, so "${op}" is passed as an argument; use ["sh", "-c", "..."] for shell syntax`);
    else if (/["']/.test(value)) iss.warn(path, `quotes in an exec string are passed as they are (it is split at every space, as in ContainerPilot); use an array to pass an argument holding spaces`);
  } else if (Array.isArray(value)) {
    argv = readStrings(iss, path, value);
    if (argv === undefined) return undefined;
  } else {
    iss.error(path, `expected a command string or an array of strings, got ${describe(value)}`);
    return undefined;
  }
  if (argv.length === 0 || argv[0] === '') {
    iss.error(path, 'must name a command (got an empty command)');
    return undefined;
  }
  return argv;
}
