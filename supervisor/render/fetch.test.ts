import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthDep } from './deps.js';
import { aggregatedStatus, catalogSnippets, healthServices } from './fetch.js';

const entry = (node: string, id: string, checks: Array<{ CheckID: string; Status: string }>, tags: string[] = []) => ({
  Node: { Node: node, Address: '10.0.0.1', ID: `${node}-id` },
  Service: { ID: id, Service: 'web', Address: '', Port: 80, Tags: tags, Meta: { v: '1' } },
  Checks: checks,
});

test('the aggregated status of checks, as consul/api computes it', () => {
  assert.equal(aggregatedStatus([]), 'passing');
  assert.equal(aggregatedStatus([{ CheckID: 'a', Status: 'passing' }, { CheckID: 'b', Status: 'warning' }]), 'warning');
  assert.equal(aggregatedStatus([{ CheckID: 'a', Status: 'warning' }, { CheckID: 'b', Status: 'critical' }]), 'critical');
  assert.equal(aggregatedStatus([{ CheckID: '_service_maintenance:web', Status: 'critical' }]), 'maintenance');
  assert.equal(aggregatedStatus([{ CheckID: 'a', Status: 'odd' }]), '');
});

test('health entries are filtered by status, sorted by Node then ID, tags sorted, node address as fallback', () => {
  const body = [
    entry('node-b', 'a', []),
    entry('node-a', 'z', [], ['zeta', 'alpha']),
    entry('node-a', 'm', [{ CheckID: 'c', Status: 'warning' }]),
    entry('node-a', 'b', [{ CheckID: 'c', Status: 'critical' }]),
  ];
  const passing = healthServices(healthDep('web') as Extract<ReturnType<typeof healthDep>, { kind: 'health' }>, body) as Array<Record<string, unknown>>;
  assert.deepEqual(passing.map((s) => `${s['Node']}/${s['ID']}`), ['node-a/z', 'node-b/a']);
  assert.deepEqual(passing[0]!['Tags'], ['alpha', 'zeta']);
  assert.equal(passing[0]!['Address'], '10.0.0.1');
  const some = healthServices(healthDep('web|passing,warning') as Extract<ReturnType<typeof healthDep>, { kind: 'health' }>, body) as Array<Record<string, unknown>>;
  assert.deepEqual(some.map((s) => `${s['Node']}/${s['ID']}/${s['Status']}`), ['node-a/m/warning', 'node-a/z/passing', 'node-b/a/passing']);
});

test('catalog services are sorted by name', () => {
  const list = catalogSnippets({ world: ['b', 'a'], consul: [], hello: null }) as Array<{ Name: string; Tags: string[] }>;
  assert.deepEqual(list.map((s) => s.Name), ['consul', 'hello', 'world']);
  assert.deepEqual(list[2]!.Tags, ['a', 'b']);
});

test('node records and node checks are shaped per node, service checks per instance', () => {
  const on = (node: string, id: string, output: string) => ({
    Node: { Node: node, Address: `${node}.addr`, ID: `${node}-id`, Meta: { zone: node }, TaggedAddresses: { lan: `${node}.lan` } },
    Service: { ID: id, Service: 'web', Address: '', Port: 80, Tags: [] },
    Checks: [
      { Node: node, CheckID: 'serfHealth', Status: 'passing', Output: `${node} alive`, ServiceID: '' },
      { Node: node, CheckID: `service:${id}`, Status: 'passing', Output: output, ServiceID: id },
    ],
  });
  const body = [on('n1', 'a', 'a ok'), on('n2', 'b', 'b ok'), on('n1', 'c', 'c ok')];
  const list = healthServices(healthDep('web') as Extract<ReturnType<typeof healthDep>, { kind: 'health' }>, body) as Array<Record<string, unknown>>;
  const view = list.map((s) => ({
    id: s['ID'],
    address: s['Address'],
    meta: s['NodeMeta'],
    lan: (s['NodeTaggedAddresses'] as Record<string, string>)['lan'],
    checks: (s['Checks'] as Array<Record<string, unknown>>).map((c) => `${c['CheckID']}=${c['Output']}`),
  }));
  assert.deepEqual(view, [
    { id: 'a', address: 'n1.addr', meta: { zone: 'n1' }, lan: 'n1.lan', checks: ['serfHealth=n1 alive', 'service:a=a ok'] },
    { id: 'c', address: 'n1.addr', meta: { zone: 'n1' }, lan: 'n1.lan', checks: ['serfHealth=n1 alive', 'service:c=c ok'] },
    { id: 'b', address: 'n2.addr', meta: { zone: 'n2' }, lan: 'n2.lan', checks: ['serfHealth=n2 alive', 'service:b=b ok'] },
  ]);
});
