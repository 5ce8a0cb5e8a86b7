/**
 * Pure rules of a watch: what counts as a change and which events it produces (ContainerPilot
 * v3, discovery/consul.go + watches/watches.go), and Consul's blocking-index bookkeeping.
 */
import type { HealthServiceEntry, KvEntry } from '../discovery/client.js';

export interface Instance {
  address: string;
  port: number;
  id: string;
}

/** Passing instances as advertised: the service address, or the node's when the service has none. */
export function instancesFromEntries(entries: readonly HealthServiceEntry[]): Instance[] {
  return entries
    .map((e) => ({
      address: e.Service?.Address || e.Node?.Address || '',
      port: e.Service?.Port ?? 0,
      id: e.Service?.ID ?? '',
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function endpoints(list: readonly Instance[]): string[] {
  return list.map((i) => `${i.address}:${i.port}`).sort();
}

/** The compared state is the multiset of address:port pairs: tags, IDs, check output or the
 * index moving do not count as a change. */
export function sameEndpoints(a: readonly Instance[], b: readonly Instance[]): boolean {
  if (a.length !== b.length) return false;
  const x = endpoints(a);
  const y = endpoints(b);
  return x.every((v, i) => v === y[i]);
}

/**
 * Event codes for a new answer, in publish order. As ContainerPilot: nothing when the endpoints
 * did not change (the first answer compares against "none", so an empty service at startup is
 * silent); otherwise `changed` then `healthy` when instances remain, `unhealthy` when none do.
 */
export function serviceEvents(prev: readonly Instance[], next: readonly Instance[]): string[] {
  if (sameEndpoints(prev, next)) return [];
  return ['changed', next.length > 0 ? 'healthy' : 'unhealthy'];
}

export type KvSnapshot = ReadonlyMap<string, string | null>;

export function kvSnapshot(entries: readonly KvEntry[]): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const e of [...entries].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))) m.set(e.Key, e.Value ?? null);
  return m;
}

/** Keys added or removed, or a value that differs; a rewrite with the same value is no change. */
export function sameKv(a: KvSnapshot, b: KvSnapshot): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    if (!b.has(k) || b.get(k) !== v) return false;
  }
  return true;
}

/**
 * The index for the next blocking query (Consul docs, "Implementation details"): reset to 0
 * when it went backwards (agent restarted, snapshot restored...) or is 0 (a Consul bug: a
 * query with index 0 answers at once; the loop waits an interval before asking again).
 */
export function nextIndex(prev: bigint, got: bigint | undefined): bigint {
  if (got === undefined || got <= 0n) return 0n;
  if (got < prev) return 0n;
  return got;
}
