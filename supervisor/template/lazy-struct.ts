// A struct whose fields are computed when first read, then kept: for large answers (a thousand
// service instances) of which a template reads a field or two per item. Everything that reads a
// struct (field access, printing, comparison, JSON) sees the same fields in the same order, with
// the same values, as a goStruct of the computed fields would show; the struct cannot be changed.
import { STRUCT } from './values.js';

export interface LazyStructType<S> {
  readonly typeName: string;
  readonly fields: readonly string[];
  /** Computes one field of one struct from its source (called at most once per field). */
  readonly compute: (source: S, field: string) => unknown;
}

class Target<S> {
  readonly cache = new Map<string, unknown>();
  constructor(
    readonly type: LazyStructType<S>,
    readonly fieldSet: ReadonlySet<string>,
    readonly source: S,
  ) {}

  value(field: string): unknown {
    if (this.cache.has(field)) return this.cache.get(field);
    const v = this.type.compute(this.source, field);
    this.cache.set(field, v);
    return v;
  }
}

const handler: ProxyHandler<Target<unknown>> = {
  get: (t, key) => (key === STRUCT ? t.type.typeName : typeof key === 'string' && t.fieldSet.has(key) ? t.value(key) : undefined),
  has: (t, key) => key === STRUCT || (typeof key === 'string' && t.fieldSet.has(key)),
  ownKeys: (t) => [...t.type.fields],
  getOwnPropertyDescriptor: (t, key) =>
    typeof key === 'string' && t.fieldSet.has(key) ? { value: t.value(key), writable: false, enumerable: true, configurable: true } : undefined,
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
};

/** A factory of lazy structs of one type: `const make = lazyStructs(type); make(source)`. */
export function lazyStructs<S>(type: LazyStructType<S>): (source: S) => object {
  const fieldSet = new Set(type.fields);
  return (source) => new Proxy(new Target(type, fieldSet, source), handler as ProxyHandler<Target<S>>);
}
