/**
 * Fetches one dependency and shapes the answer as consul-template's Go values: HealthService,
 * CatalogSnippet and KeyPair structs, sorted as consul-template sorts them (health: by Node then
 * ID, stable; services: by name; tags: sorted; KV lists: Consul's key order).
 */
import { goStruct, lazyStructs, typedSlice } from '../template/index.js';
import type { Blocking, RenderConsul } from './consul-api.js';
import { goLess, type Dep } from './deps.js';

export interface Fetched {
  index: bigint | undefined;
  /** The template value: a struct slice, a string, or null for a missing key. */
  value: unknown;
  /**
   * Consul's answer text: the same text gives the same value, so watch mode compares texts (a
   * different text with the same value only costs a render that writes nothing).
   */
  text: string;
}

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const strMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) out[k] = str(x);
  return out;
};
const sortedTags = (v: unknown) => typedSlice('string', (Array.isArray(v) ? v.map(str) : []).sort(goLess));

/** consul/api HealthChecks.AggregatedStatus. */
export function aggregatedStatus(checks: Obj[]): string {
  let warning = false, critical = false, maintenance = false;
  for (const c of checks) {
    const id = str(c['CheckID']);
    if (id === '_node_maintenance' || id.startsWith('_service_maintenance:')) {
      maintenance = true;
      continue;
    }
    const s = str(c['Status']);
    if (s === 'passing') continue;
    if (s === 'warning') warning = true;
    else if (s === 'critical') critical = true;
    else return '';
  }
  if (maintenance) return 'maintenance';
  if (critical) return 'critical';
  if (warning) return 'warning';
  // All passing, or no checks at all.
  return 'passing';
}

function check(c: Obj) {
  return goStruct('api.HealthCheck', {
    Node: str(c['Node']), CheckID: str(c['CheckID']), Name: str(c['Name']), Status: str(c['Status']),
    Notes: str(c['Notes']), Output: str(c['Output']), ServiceID: str(c['ServiceID']), ServiceName: str(c['ServiceName']),
    ServiceTags: sortedTags(c['ServiceTags']), Type: str(c['Type']),
  });
}

function taggedAddresses(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(obj(v))) out[k] = goStruct('api.ServiceAddress', { Address: str(obj(a)['Address']), Port: num(obj(a)['Port']) });
  return out;
}

/**
 * Every instance on one node repeats that node's record and its node-level checks (serfHealth):
 * within one answer they are identical, so they are shaped once per node and shared (templates
 * only read values).
 */
interface NodeShapes {
  taggedAddresses?: Record<string, string>;
  meta?: Record<string, string>;
  checks: Map<string, unknown>;
}

interface Instance {
  node: Obj;
  svc: Obj;
  checks: Obj[];
  status: string;
  shared: NodeShapes;
}

/**
 * consul-template's HealthService, its fields computed when a template first reads them: a
 * typical template reads two fields of each of a thousand instances, and a short-lived
 * `render -once` would otherwise spend most of its time shaping the rest.
 */
const healthService = lazyStructs<Instance>({
  typeName: 'dependency.HealthService',
  fields: ['Node', 'NodeID', 'NodeAddress', 'NodeTaggedAddresses', 'NodeMeta', 'ServiceMeta', 'Address', 'ServiceTaggedAddresses', 'ID', 'Name', 'Tags', 'Checks', 'Status', 'Port', 'Weights'],
  compute: (i, field) => {
    switch (field) {
      case 'Node': return str(i.node['Node']);
      case 'NodeID': return str(i.node['ID']);
      case 'NodeAddress': return str(i.node['Address']);
      case 'NodeTaggedAddresses': return (i.shared.taggedAddresses ??= strMap(i.node['TaggedAddresses']));
      case 'NodeMeta': return (i.shared.meta ??= strMap(i.node['Meta']));
      case 'ServiceMeta': return strMap(i.svc['Meta']);
      case 'Address': return str(i.svc['Address']) || str(i.node['Address']);
      case 'ServiceTaggedAddresses': return taggedAddresses(i.svc['TaggedAddresses']);
      case 'ID': return str(i.svc['ID']);
      case 'Name': return str(i.svc['Service']);
      case 'Tags': return sortedTags(i.svc['Tags']);
      case 'Checks': {
        const nodeChecks = i.shared.checks;
        return i.checks.map((c) => {
          if (str(c['ServiceID']) !== '') return check(c);
          const key = str(c['CheckID']);
          let shaped = nodeChecks.get(key);
          if (shaped === undefined) nodeChecks.set(key, (shaped = check(c)));
          return shaped;
        });
      }
      case 'Status': return i.status;
      case 'Port': return num(i.svc['Port']);
      case 'Weights': {
        const w = obj(i.svc['Weights']);
        return goStruct('api.AgentWeights', { Passing: num(w['Passing']), Warning: num(w['Warning']) });
      }
      default: return undefined;
    }
  },
});

export function healthServices(dep: Extract<Dep, { kind: 'health' }>, body: unknown): unknown[] {
  const kept: Instance[] = [];
  const nodes = new Map<string, NodeShapes>();
  const any = dep.filters.includes('any');
  for (const entry of Array.isArray(body) ? (body as unknown[]) : []) {
    const e = obj(entry);
    const checks = (Array.isArray(e['Checks']) ? (e['Checks'] as unknown[]) : []).map(obj);
    const status = aggregatedStatus(checks);
    if (!any && !dep.filters.includes(status)) continue;
    const node = obj(e['Node']);
    const nodeName = str(node['Node']);
    let shared = nodes.get(nodeName);
    if (shared === undefined) nodes.set(nodeName, (shared = { checks: new Map() }));
    kept.push({ node, svc: obj(e['Service']), checks, status, shared });
  }
  // By Node then ID, stable (dependency/health_service.go).
  kept.sort((a, b) => goLess(str(a.node['Node']), str(b.node['Node'])) || goLess(str(a.svc['ID']), str(b.svc['ID'])));
  return kept.map(healthService);
}

export function catalogSnippets(body: unknown): unknown[] {
  return Object.entries(obj(body))
    .sort(([a], [b]) => goLess(a, b))
    .map(([Name, tags]) => goStruct('dependency.CatalogSnippet', { Name, Tags: sortedTags(tags) }));
}

function keyPair(prefix: string, p: Obj) {
  const path = str(p['Key']);
  const key = (path.startsWith(prefix) ? path.slice(prefix.length) : path).replace(/^\/+/, '');
  return goStruct('dependency.KeyPair', {
    Path: path, Key: key, Value: str(p['Value']), CreateIndex: num(p['CreateIndex']), ModifyIndex: num(p['ModifyIndex']),
    LockIndex: num(p['LockIndex']), Flags: num(p['Flags']), Session: str(p['Session']),
  });
}

export async function fetchDep(consul: RenderConsul, dep: Dep, b: Blocking = {}): Promise<Fetched> {
  switch (dep.kind) {
    case 'health': {
      const passingOnly = dep.filters.length === 1 && dep.filters[0] === 'passing';
      const a = await consul.healthService({ name: dep.name, tag: dep.tag, dc: dep.dc, passing: passingOnly }, b);
      return { index: a.index, value: healthServices(dep, a.body), text: a.text };
    }
    case 'services': {
      const a = await consul.catalogServices({ dc: dep.dc }, b);
      return { index: a.index, value: catalogSnippets(a.body), text: a.text };
    }
    case 'kv': {
      const a = await consul.kv({ key: dep.path, recurse: false, dc: dep.dc }, b);
      const item = Array.isArray(a.body) ? a.body[0] : a.body;
      return { index: a.index, value: item === undefined || item === null ? null : str(obj(item)['Value']), text: a.text };
    }
    case 'ls': {
      const a = await consul.kv({ key: dep.prefix, recurse: true, dc: dep.dc }, b);
      const items = Array.isArray(a.body) ? a.body : a.body === undefined || a.body === null ? [] : [a.body];
      return { index: a.index, value: items.map((p) => keyPair(dep.prefix, obj(p))), text: a.text };
    }
  }
}
