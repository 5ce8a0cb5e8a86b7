// How template functions declare their Go parameter types, so arguments are checked and
// converted as text/template does for typed Go functions.

/**
 * 'any' = interface{} (missing values arrive as undefined), 'value' = reflect.Value (raw value,
 * literal nil refused), 'string' / 'int' / 'bool' = that Go type (literals must match, values are
 * type-checked), 'strings' = []string.
 */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'bool' | 'strings';

export interface FuncSig { params: ParamType[]; variadic?: ParamType }

/** A function callable from templates; without `sig` it takes any number of interface{} arguments. */
export type TemplateFunc = ((...args: never[]) => unknown) & { sig?: FuncSig };

/** Attaches a Go signature to a function. */
export function withSig<F extends (...args: never[]) => unknown>(sig: FuncSig, fn: F): F & { sig: FuncSig } {
  return Object.assign(fn, { sig });
}

export const GO_TYPE: Record<ParamType, string> = {
  any: 'interface {}', value: 'reflect.Value', string: 'string', int: 'int', bool: 'bool', strings: '[]string',
};

/** Thrown by functions for errors Go reports as "error calling NAME: ...". */
export class FuncError extends Error {}

/** Marks functions that receive Go-typed values (GoFloat, NO_VALUE) unconverted. */
export const INTERNAL = Symbol.for('autopilot.template.internal');
