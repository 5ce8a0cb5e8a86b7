/**
 * Dependencies a template asks for, parsed from the function arguments with consul-template's
 * own grammar (dependency/*.go): `service "tag.name@dc" "passing,warning"`, `services "@dc"`,
 * `key "path@dc"`, `ls "prefix@dc"`. Each has a stable key (consul-template's String()) that
 * names it in the data store and in the set of watched queries.
 */

export type Dep =
  | { kind: 'health'; key: string; name: string; tag?: string; dc?: string; filters: string[] }
  | { kind: 'services'; key: string; dc?: string }
  | { kind: 'kv'; key: string; path: string; dc?: string; block: boolean }
  | { kind: 'ls'; key: string; prefix: string; dc?: string };

// [[:word:]] is [0-9A-Za-z_]; the groups mirror consul-template's regexps (no `?query`, `~near`).
const W = '0-9A-Za-z_';
const dcRe = `(?:@(?<dc>[${W}.\\-]+))?`;
const HEALTH_RE = new RegExp(`^(?:(?<tag>[${W}=:.\\-]+)\\.)?(?<name>[${W}\\-]+)${dcRe}(?:\\|(?<filter>[${W},]+))?$`);
const SERVICES_RE = new RegExp(`^${dcRe}$`);
const KEY_RE = new RegExp(`^/?(?<key>[^@?]+)${dcRe}$`);

const HEALTH_FILTERS = new Set(['any', 'passing', 'warning', 'critical', 'maintenance']);

/** A template argument consul-template would refuse; its message is consul-template's. */
export class DepFormatError extends Error {}

function opt(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

export function goLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `service` arguments, joined with "|" as consul-template does. */
export function healthDep(s: string): Dep {
  const m = HEALTH_RE.exec(s)?.groups;
  if (!m) throw new DepFormatError(`health.service: invalid format: ${JSON.stringify(s)}`);
  let filters = ['passing'];
  if (m['filter'] !== undefined) {
    filters = [];
    for (const raw of m['filter'].split(',')) {
      const f = raw.trim();
      if (f === '') continue;
      if (!HEALTH_FILTERS.has(f)) throw new DepFormatError(`health.service: invalid filter: ${JSON.stringify(f)} in ${JSON.stringify(s)}`);
      filters.push(f);
    }
    filters.sort(goLess);
  }
  const tag = opt(m['tag']);
  const dc = opt(m['dc']);
  const name = m['name']!;
  let key = (tag ? `${tag}.` : '') + name + (dc ? `@${dc}` : '');
  if (filters.length > 0) key += `|${filters.join(',')}`;
  return { kind: 'health', key: `health.service(${key})`, name, tag, dc, filters };
}

export function servicesDep(s: string): Dep {
  const m = SERVICES_RE.exec(s)?.groups;
  if (!m) throw new DepFormatError(`catalog.services: invalid format: ${JSON.stringify(s)}`);
  const dc = opt(m['dc']);
  return { kind: 'services', key: dc ? `catalog.services(@${dc})` : 'catalog.services', dc };
}

/** `block`: the `key` function, which waits until the key exists (`keyOrDefault` does not). */
export function kvDep(s: string, block = false): Dep {
  const m = KEY_RE.exec(s)?.groups;
  if (!m) throw new DepFormatError(`kv.get: invalid format: ${JSON.stringify(s)}`);
  const dc = opt(m['dc']);
  const path = m['key']!;
  return { kind: 'kv', key: `kv.${block ? 'block' : 'get'}(${path}${dc ? `@${dc}` : ''})`, path, dc, block };
}

export function lsDep(s: string): Dep {
  const m = KEY_RE.exec(s)?.groups;
  if (!m) throw new DepFormatError(`kv.list: invalid format: ${JSON.stringify(s)}`);
  const dc = opt(m['dc']);
  const prefix = m['key']!;
  return { kind: 'ls', key: `kv.list(${prefix}${dc ? `@${dc}` : ''})`, prefix, dc };
}
