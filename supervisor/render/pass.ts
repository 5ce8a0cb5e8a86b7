/**
 * One render pass, consul-template's model: the Consul functions look their dependency up in the
 * data store (`brain`); each records the dependency as used, and as missing when the store has no
 * value yet, in which case it returns an empty value. The caller fetches what is missing and
 * renders again until nothing is missing.
 */
import { renderTemplate, TemplateError, typedSlice, withSig } from '../template/index.js';
import { healthDep, kvDep, lsDep, servicesDep, type Dep } from './deps.js';

/** Dependency key -> fetched template value (null = a missing KV key). */
export type Brain = Map<string, unknown>;

export interface PassResult {
  /** The output, or undefined when the template failed. */
  output?: string;
  error?: TemplateError;
  used: Map<string, Dep>;
  missing: Map<string, Dep>;
}

/** tag -> the items carrying it, from a `service` or `services` result (consul-template's byTag). */
function byTag(list: unknown): Map<string, unknown[]> {
  const m = new Map<string, unknown[]>();
  if (list === undefined || list === null) return m;
  if (!Array.isArray(list)) throw new Error(`byTag: wrong argument type ${typeof list}`);
  for (const item of list) {
    const tags = (item as { Tags?: unknown }).Tags;
    if (!Array.isArray(tags)) throw new Error('byTag: wrong argument type (expected the result of service or services)');
    for (const t of tags as string[]) m.set(t, [...(m.get(t) ?? []), item]);
  }
  return m;
}

export function renderPass(text: string, name: string, brain: Brain, env: Record<string, string | undefined>): PassResult {
  const used = new Map<string, Dep>();
  const missing = new Map<string, Dep>();
  /** The stored value, or undefined (after recording the dependency as missing). */
  const recall = (d: Dep): unknown => {
    used.set(d.key, d);
    if (brain.has(d.key)) return brain.get(d.key);
    missing.set(d.key, d);
    return undefined;
  };
  const funcs = {
    service: withSig({ params: [], variadic: 'string' }, (...s: string[]) => {
      if (s.length === 0 || s[0] === '') return [];
      return (recall(healthDep(s.join('|'))) as unknown[] | undefined) ?? [];
    }),
    services: withSig({ params: [], variadic: 'string' }, (...s: string[]) => (recall(servicesDep(s.join(''))) as unknown[] | undefined) ?? []),
    // `key` waits for the key to exist: a missing key keeps the dependency missing.
    key: withSig({ params: ['string'] }, (s: string) => {
      if (s === '') return '';
      const d = kvDep(s, true);
      const v = recall(d);
      if (typeof v === 'string') return v;
      missing.set(d.key, d);
      return '';
    }),
    keyExists: withSig({ params: ['string'] }, (s: string) => s !== '' && typeof recall(kvDep(s)) === 'string'),
    keyOrDefault: withSig({ params: ['string', 'string'] }, (s: string, def: string) => {
      if (s === '') return def;
      const v = recall(kvDep(s));
      return typeof v === 'string' && v !== '' ? v : def;
    }),
    // Only the direct children: non-empty keys without a "/" (consul-template's lsFunc).
    ls: withSig({ params: ['string'] }, (s: string) => {
      if (s === '') return [];
      const v = recall(lsDep(s)) as Array<{ Key: string }> | undefined;
      return (v ?? []).filter((p) => p.Key !== '' && !p.Key.includes('/'));
    }),
    // Every key below the prefix except folders (a last segment that is empty).
    tree: withSig({ params: ['string'] }, (s: string) => {
      if (s === '') return [];
      const v = recall(lsDep(s)) as Array<{ Key: string }> | undefined;
      return (v ?? []).filter((p) => !p.Key.endsWith('/') && p.Key !== '');
    }),
    byTag: withSig({ params: ['any'] }, (list: unknown) => byTag(list)),
    env: withSig({ params: ['string'] }, (s: string) => env[s] ?? ''),
    toLower: withSig({ params: ['string'] }, (s: string) => s.toLowerCase()),
    toUpper: withSig({ params: ['string'] }, (s: string) => s.toUpperCase()),
    trimSpace: withSig({ params: ['string'] }, (s: string) => s.trim()),
    split: withSig({ params: ['string', 'string'] }, (sep: string, s: string) => {
      const t = s.trim();
      return typedSlice('string', t === '' ? [] : sep === '' ? [...t] : t.split(sep));
    }),
  };
  try {
    return { output: renderTemplate(text, undefined, { name, funcs, env }), used, missing };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return { error: e, used, missing };
  }
}
