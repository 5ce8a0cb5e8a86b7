/**
 * Resolves a service's `interfaces` list to the IP address advertised in Consul, with
 * ContainerPilot v3's rules (utils/ips.go):
 * - `eth0` / `eth0:inet`: the first IPv4 of eth0; `eth0:inet6`: its first IPv6;
 * - `eth0[1]`: the second address of eth0 (IPv4 and IPv6 counted together, sorted);
 * - `inet` / `inet6`: the first non-loopback IPv4 / IPv6 of any interface;
 * - `10.0.0.0/16`, `fdc6::/64`: the first address inside the network;
 * - `static:192.168.1.100`: that address, as given;
 * - a list is tried in order; absent or empty means [`eth0:inet`, `inet`].
 * Addresses are sorted by interface name, then by their 16-byte form, so "first" is stable.
 * Beyond v3, interface names may contain `.` and `-` (VLANs such as eth0.100, br-1a2b).
 */
import { networkInterfaces } from 'node:os';
import { cidrContains, compareIp, formatIp, isLoopback, isV4, parseCidr, parseIp, type Cidr } from './ip.js';

export const DEFAULT_INTERFACES: readonly string[] = ['eth0:inet', 'inet'];

export type InterfaceSpec =
  | { kind: 'inet'; text: string; name: string | '*'; v6: boolean }
  | { kind: 'index'; text: string; name: string; index: number }
  | { kind: 'cidr'; text: string; cidr: Cidr }
  | { kind: 'static'; text: string; ip: string };

export class InterfaceError extends Error {
  override name = 'InterfaceError';
}

const NAME_SPEC = /^([A-Za-z0-9_][\w.-]*?)(?:\[(\d+)\]|:(inet6?))?$/;

/** Parses one entry; throws InterfaceError with a one-line message naming the entry. */
export function parseInterfaceSpec(text: string): InterfaceSpec {
  if (text === 'inet') return { kind: 'inet', text, name: '*', v6: false };
  if (text === 'inet6') return { kind: 'inet', text, name: '*', v6: true };
  if (text.startsWith('static:')) {
    const ip = parseIp(text.slice('static:'.length));
    if (!ip) throw new InterfaceError(`interfaces: "${text}" is not static:<IP address>`);
    return { kind: 'static', text, ip: formatIp(ip) };
  }
  if (parseIp(text)) {
    throw new InterfaceError(`interfaces: "${text}" is an address, not an interface: use "static:${text}" or a CIDR such as "${text}/32"`);
  }
  const m = NAME_SPEC.exec(text);
  if (m && m[1]) {
    if (m[2] !== undefined) return { kind: 'index', text, name: m[1], index: Number(m[2]) };
    return { kind: 'inet', text, name: m[1], v6: m[3] === 'inet6' };
  }
  const cidr = parseCidr(text);
  if (cidr) return { kind: 'cidr', text, cidr };
  throw new InterfaceError(
    `interfaces: cannot parse "${text}" (expected an interface such as eth0, eth0[1], eth0:inet6, inet, inet6, a CIDR such as 10.0.0.0/16, or static:<IP>)`,
  );
}

/** Parses every entry, reporting all bad ones at once. */
export function parseInterfaceSpecs(list: readonly string[]): InterfaceSpec[] {
  const errors: string[] = [];
  const specs: InterfaceSpec[] = [];
  for (const text of list) {
    try {
      specs.push(parseInterfaceSpec(text));
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length > 0) throw new InterfaceError(errors.join('; '));
  return specs;
}

export interface InterfaceAddress {
  name: string;
  ip: Uint8Array;
}

/** What os.networkInterfaces() returns (injectable for tests). */
export type NetworkInterfacesMap = Record<string, ReadonlyArray<{ address: string }> | undefined>;

/** Every address of every interface, sorted by name then address. Unparseable ones are skipped. */
export function listInterfaceAddresses(nics: NetworkInterfacesMap = networkInterfaces()): InterfaceAddress[] {
  const out: InterfaceAddress[] = [];
  for (const [name, addrs] of Object.entries(nics)) {
    for (const a of addrs ?? []) {
      const ip = parseIp(a.address);
      if (ip) out.push({ name, ip });
    }
  }
  // Byte-wise name order, like Go's strings.Compare (localeCompare would differ).
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : compareIp(a.ip, b.ip)));
  return out;
}

function matches(spec: InterfaceSpec, indexInIface: number, a: InterfaceAddress): boolean {
  switch (spec.kind) {
    case 'inet':
      if (spec.name !== '*' && spec.name !== a.name) return false;
      if (spec.name === '*' && isLoopback(a.ip)) return false;
      return spec.v6 !== isV4(a.ip);
    case 'index':
      return spec.name === a.name && spec.index === indexInIface;
    case 'cidr':
      return cidrContains(spec.cidr, a.ip);
    case 'static':
      return false;
  }
}

/** The first address matching the first spec that matches anything. */
export function findIp(specs: readonly InterfaceSpec[], addresses: readonly InterfaceAddress[]): string | undefined {
  for (const spec of specs) {
    if (spec.kind === 'static') return spec.ip;
    let iface = '';
    let index = 0;
    for (const a of addresses) {
      if (a.name !== iface) {
        iface = a.name;
        index = 0;
      } else index++;
      if (matches(spec, index, a)) return formatIp(a.ip);
    }
  }
  return undefined;
}

/** Resolves `interfaces` (empty = default) on this host or on the injected interface table. */
export function resolveInterfaceIp(list: readonly string[] | undefined, nics?: NetworkInterfacesMap): string {
  const wanted = list && list.length > 0 ? list : DEFAULT_INTERFACES;
  const specs = parseInterfaceSpecs(wanted);
  const addresses = listInterfaceAddresses(nics);
  const ip = findIp(specs, addresses);
  if (ip === undefined) {
    const have = addresses.map((a) => `${a.name}:${formatIp(a.ip)}`).join(', ') || 'none';
    throw new InterfaceError(`interfaces: no address matches ${wanted.map((w) => `"${w}"`).join(', ')} (this host has: ${have})`);
  }
  return ip;
}
