import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveEndpoint } from './endpoint.js';

test('client endpoint: the address option, then CONSUL_HTTP_ADDR, then CONSUL, then the local agent; port 8500 by default', () => {
  const env = { CONSUL_HTTP_ADDR: 'agent:8501', CONSUL: 'consul' };
  assert.deepEqual(resolveEndpoint('10.0.0.5:9500', undefined, env), { url: 'http://10.0.0.5:9500' });
  assert.deepEqual(resolveEndpoint(undefined, undefined, env), { url: 'http://agent:8501' });
  assert.deepEqual(resolveEndpoint(undefined, undefined, { CONSUL: 'consul' }), { url: 'http://consul:8500' });
  assert.deepEqual(resolveEndpoint(undefined, undefined, { CONSUL: ' ' }), { url: 'http://127.0.0.1:8500' });
  assert.deepEqual(resolveEndpoint(undefined, undefined, {}), { url: 'http://127.0.0.1:8500' });
  assert.deepEqual(resolveEndpoint('https://consul.example:8501/', undefined, {}), { url: 'https://consul.example:8501' });
  assert.deepEqual(resolveEndpoint('consul', undefined, { CONSUL_HTTP_SSL: 'true' }), { url: 'https://consul:8500' });
  assert.deepEqual(resolveEndpoint('[::1]:8500', undefined, {}), { url: 'http://[::1]:8500' });
});

test('client endpoint: the token option, else CONSUL_HTTP_TOKEN', () => {
  assert.deepEqual(resolveEndpoint('c:1', 'opt', { CONSUL_HTTP_TOKEN: 'env' }), { url: 'http://c:1', token: 'opt' });
  assert.deepEqual(resolveEndpoint('c:1', undefined, { CONSUL_HTTP_TOKEN: 'env' }), { url: 'http://c:1', token: 'env' });
  assert.deepEqual(resolveEndpoint('c:1', undefined, { CONSUL_HTTP_TOKEN: '' }), { url: 'http://c:1' });
});

test('client endpoint: an address that is no address is a one-line error naming where it came from', () => {
  assert.throws(() => resolveEndpoint(undefined, undefined, { CONSUL_HTTP_ADDR: 'consul:port' }), { name: 'TypeError', message: 'CONSUL_HTTP_ADDR: expected host, host:port or http(s)://host:port, got "consul:port"' });
  assert.throws(() => resolveEndpoint('ftp://consul', undefined, {}), { message: 'the address option: expected an http or https address, got "ftp://consul"' });
});
