import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { InterfaceError, parseInterfaceSpec, resolveInterfaceIp, type NetworkInterfacesMap } from './interfaces.js';
import { formatIp, parseIp } from './ip.js';

// The interface table ContainerPilot's own tests use (utils/ips_test.go), in os.networkInterfaces() shape.
const nics: NetworkInterfacesMap = {
  eth2: [{ address: 'fdc6:238c:c4bc::1' }, { address: '10.1.0.200' }],
  lo: [{ address: '::1' }, { address: '127.0.0.1' }],
  eth0: [{ address: '192.168.1.100' }, { address: '10.2.0.1' }],
  eth1: [{ address: '10.0.0.200' }, { address: '10.0.0.100' }],
};

const ip = (...specs: string[]) => resolveInterfaceIp(specs, nics);

test('interface names, inet and inet6', () => {
  assert.equal(ip('eth0'), '10.2.0.1');
  assert.equal(ip('eth0:inet'), '10.2.0.1');
  assert.equal(ip('lo'), '127.0.0.1');
  assert.equal(ip('lo:inet6'), '::1');
  assert.equal(ip('eth2:inet6'), 'fdc6:238c:c4bc::1');
  assert.throws(() => ip('eth0:inet6'), InterfaceError);
});

test('indexed interfaces count addresses in sorted order', () => {
  assert.equal(ip('eth0[0]'), '10.2.0.1');
  assert.equal(ip('eth0[1]'), '192.168.1.100');
  assert.throws(() => ip('eth0[2]'), /no address matches "eth0\[2\]"/);
});

test('inet and inet6 pick the first non-loopback address', () => {
  assert.equal(ip('inet'), '10.2.0.1');
  assert.equal(ip('inet6'), 'fdc6:238c:c4bc::1');
  const loOnly: NetworkInterfacesMap = { lo: [{ address: '127.0.0.1' }, { address: '::1' }] };
  assert.throws(() => resolveInterfaceIp(['inet'], loOnly), InterfaceError);
  assert.throws(() => resolveInterfaceIp(['inet6'], loOnly), InterfaceError);
});

test('CIDR v4 and v6', () => {
  assert.equal(ip('10.0.0.0/16'), '10.0.0.100');
  assert.equal(ip('10.1.0.0/16'), '10.1.0.200');
  assert.equal(ip('10.0.0.0/8'), '10.2.0.1');
  assert.equal(ip('fdc6:238c:c4bc::/48'), 'fdc6:238c:c4bc::1');
  assert.equal(ip('fdc6::/16'), 'fdc6:238c:c4bc::1');
  assert.throws(() => ip('fdc7::/64'), InterfaceError);
  assert.throws(() => ip('172.16.0.0/12'), InterfaceError);
});

test('static addresses are returned as given, without looking at interfaces', () => {
  assert.equal(ip('static:192.168.1.100', 'lo'), '192.168.1.100');
  assert.equal(resolveInterfaceIp(['static:10.9.9.9'], {}), '10.9.9.9');
  assert.equal(ip('static:FDC6:0:0::0001'), 'fdc6::1');
});

test('a list is tried in order', () => {
  assert.equal(ip('eth3', 'fdc6:238c:c4bc::/48', 'inet', 'inet6'), 'fdc6:238c:c4bc::1');
  assert.equal(ip('eth3', '10.0.0.0/16', 'inet', 'inet6', 'fdc6:238c:c4bc::/48'), '10.0.0.100');
  assert.equal(ip('inet', 'lo'), '10.2.0.1');
  assert.equal(ip('lo', 'inet'), '127.0.0.1');
});

test('absent or empty interfaces default to eth0:inet, then inet', () => {
  assert.equal(resolveInterfaceIp(undefined, nics), '10.2.0.1');
  assert.equal(resolveInterfaceIp([], nics), '10.2.0.1');
  const noEth0: NetworkInterfacesMap = { lo: [{ address: '127.0.0.1' }], ens5: [{ address: '172.17.0.3' }] };
  assert.equal(resolveInterfaceIp([], noEth0), '172.17.0.3');
});

test('bad entries are rejected with a message naming them', () => {
  for (const bad of ['', '!', '127.0.0.1', 'eth0:inet5', 'eth0[-1]', 'static:abcdef', '10.0.0.0/33']) {
    assert.throws(() => parseInterfaceSpec(bad), (err: Error) => err instanceof InterfaceError && err.message.includes(`"${bad}"`), bad);
  }
  assert.throws(() => parseInterfaceSpec('127.0.0.1'), /static:127\.0\.0\.1/);
  assert.throws(() => resolveInterfaceIp(['eth0', 'nope!'], nics), /"nope!"/);
});

test('interface names with dots and dashes', () => {
  const vlan: NetworkInterfacesMap = { 'eth0.100': [{ address: '10.100.0.5' }], 'br-1a2b': [{ address: '172.18.0.1' }] };
  assert.equal(resolveInterfaceIp(['eth0.100'], vlan), '10.100.0.5');
  assert.equal(resolveInterfaceIp(['br-1a2b:inet'], vlan), '172.18.0.1');
});

test('IPv6 parsing and canonical formatting', () => {
  const cases: Array<[string, string]> = [
    ['::1', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ];
  for (const [input, out] of cases) assert.equal(formatIp(parseIp(input) as Uint8Array), out, input);
  for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '10.0.0', '256.0.0.1', ':::']) assert.equal(parseIp(bad), null, bad);
});

test('on this host: lo and 127.0.0.0/8 resolve to the loopback address', () => {
  const lo = Object.entries(networkInterfaces()).find(([, addrs]) => addrs?.some((a) => a.address === '127.0.0.1'))?.[0];
  assert.ok(lo, 'this host has an interface holding 127.0.0.1');
  assert.equal(resolveInterfaceIp([lo]), '127.0.0.1');
  assert.equal(resolveInterfaceIp(['127.0.0.0/8']), '127.0.0.1');
  assert.equal(resolveInterfaceIp(['no-such-interface0', lo]), '127.0.0.1');
});
