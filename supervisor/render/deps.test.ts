import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DepFormatError, healthDep, kvDep, lsDep, servicesDep } from './deps.js';

test('service arguments follow consul-template grammar: tag.name@dc|filters', () => {
  assert.deepEqual(healthDep('web'), { kind: 'health', key: 'health.service(web|passing)', name: 'web', tag: undefined, dc: undefined, filters: ['passing'] });
  const d = healthDep('v1.primary.db@east-1|warning,passing');
  assert.equal(d.kind, 'health');
  if (d.kind !== 'health') return;
  assert.equal(d.tag, 'v1.primary');
  assert.equal(d.name, 'db');
  assert.equal(d.dc, 'east-1');
  assert.deepEqual(d.filters, ['passing', 'warning']);
  assert.equal(d.key, 'health.service(v1.primary.db@east-1|passing,warning)');
  assert.throws(() => healthDep('web|bogus'), /invalid filter: "bogus"/);
  assert.throws(() => healthDep('we b'), DepFormatError);
});

test('services, key and ls arguments', () => {
  assert.equal(servicesDep('').key, 'catalog.services');
  assert.equal(servicesDep('@dc2').key, 'catalog.services(@dc2)');
  assert.throws(() => servicesDep('web'), /catalog.services: invalid format/);
  assert.deepEqual(kvDep('/app/config@dc1'), { kind: 'kv', key: 'kv.get(app/config@dc1)', path: 'app/config', dc: 'dc1', block: false });
  assert.equal(kvDep('app/config', true).key, 'kv.block(app/config)');
  assert.deepEqual(lsDep('app/flags'), { kind: 'ls', key: 'kv.list(app/flags)', prefix: 'app/flags', dc: undefined });
});
