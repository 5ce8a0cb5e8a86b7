// The value model: how JavaScript values stand for Go values during execution.
//   undefined -> nil interface (missing key of a non-string map): prints "", is false
//   NO_VALUE -> Go's invalid value (no data; a pipeline yielding nil): prints "", is false
//   null -> nil; boolean -> bool; integral number or bigint -> int; other number or GoFloat -> float64
//   string -> string; array -> slice; Map or plain object -> map (keys sorted when ranged/printed)
//   object marked with goStruct() -> struct (fields in declaration order; a missing field is an error)
//   function -> func (usable with `call`)

export const STRUCT = Symbol.for('autopilot.template.struct');

/** A float64 whose value may be integral (e.g. the literal 3.0), so it still prints and compares as a float. */
/** Go's invalid reflect.Value: the dot of a template invoked without data. Prints empty. */
export const NO_VALUE: unique symbol = Symbol('no value');

export class GoFloat {
  constructor(readonly value: number) {}
}

/** A complex128, from literals such as 1i or 1+2i. */
export class GoComplex {
  constructor(readonly re: number, readonly im: number) {}
}

export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'complex' | 'string' | 'slice' | 'map' | 'struct' | 'func';

/** Marks an object as a Go struct of the given type name (e.g. results of consul-template functions). */
export function goStruct<T extends object>(typeName: string, fields: T): T {
  Object.defineProperty(fields, STRUCT, { value: typeName, enumerable: false });
  return fields;
}

const ELEM = Symbol.for('autopilot.template.elem');

/** Marks an array as a typed Go slice ([]string, []int) as Go functions return them, even when empty. */
export function typedSlice<T extends unknown[]>(elem: 'string' | 'int', arr: T): T {
  Object.defineProperty(arr, ELEM, { value: elem, enumerable: false });
  return arr;
}

/** The element type of a slice: declared by typedSlice, else string for non-empty all-string arrays. */
export function sliceElem(a: unknown[]): string {
  const declared = (a as { [ELEM]?: string })[ELEM];
  if (declared !== undefined) return declared;
  return a.length > 0 && a.every((e) => typeof e === 'string') ? 'string' : 'interface {}';
}

export function structName(v: object): string | undefined {
  return (v as { [STRUCT]?: string })[STRUCT];
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined': return 'invalid';
    case 'boolean': return 'bool';
    case 'number': return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint': return 'int';
    case 'string': return 'string';
    case 'function': return 'func';
    case 'object':
      if (v === null) return 'nil';
      if (v instanceof GoFloat) return 'float';
      if (v instanceof GoComplex) return 'complex';
      if (Array.isArray(v)) return 'slice';
      if (v instanceof Map) return 'map';
      return structName(v) !== undefined ? 'struct' : 'map';
    default: return 'invalid';
  }
}

export function toNumber(v: unknown): number {
  if (v instanceof GoFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return v as number;
}

/** Go's type name for a value, as used in error messages and %T-like output. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return '<nil>';
    case 'float': return 'float64';
    case 'complex': return 'complex128';
    case 'slice': return '[]' + sliceElem(v as unknown[]);
    case 'map': return isStringMap(v) ? 'map[string]string' : 'map[string]interface {}';
    case 'struct': return structName(v as object)!;
    case 'func': return 'func';
    default: return kindOf(v);
  }
}

/** Code-point order, which equals Go's byte order of UTF-8 strings. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareStrings(String(a), String(b));
}

/** A map's entries sorted by key, as Go's fmtsort orders them for range and printing. */
export function mapEntries(m: unknown): [unknown, unknown][] {
  const entries: [unknown, unknown][] = m instanceof Map ? [...m.entries()] : Object.entries(m as object);
  return entries.filter((e) => e[1] !== undefined).sort((x, y) => compareKeys(x[0], y[0]));
}

export function mapSize(m: unknown): number {
  const values = m instanceof Map ? [...m.values()] : Object.values(m as object);
  return values.filter((v) => v !== undefined).length;
}

/**
 * A map whose values are all strings, like an environment: Go's map[string]string. Entries
 * holding undefined count as absent (an environment object may list unset variables so).
 */
export function isStringMap(m: unknown): boolean {
  const values = m instanceof Map ? [...m.values()] : Object.values(m as object);
  return values.every((v) => typeof v === 'string' || v === undefined);
}

/**
 * Looks a key up with missingkey=zero: an absent key of a string map yields "" (the zero
 * string), of any other map undefined (a nil interface, which prints empty and is false).
 */
export function mapGet(m: unknown, key: unknown): unknown {
  let found: boolean;
  let value: unknown;
  if (m instanceof Map) {
    found = m.has(key);
    value = m.get(key);
  } else {
    found = (typeof key === 'string' || typeof key === 'number') && Object.prototype.hasOwnProperty.call(m, key);
    value = found ? (m as Record<string, unknown>)[key as string] : undefined;
  }
  if (found && value !== undefined) return value;
  return isStringMap(m) ? '' : undefined;
}

const encoder = new TextEncoder();
export const utf8Bytes = (s: string): Uint8Array => encoder.encode(s);

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false; structs are true. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return false;
    case 'bool': return v as boolean;
    case 'int': case 'float': return toNumber(v) !== 0;
    case 'complex': return (v as GoComplex).re !== 0 || (v as GoComplex).im !== 0;
    case 'string': return (v as string).length > 0;
    case 'slice': return (v as unknown[]).length > 0;
    case 'map': return mapSize(v) > 0;
    default: return true;
  }
}
