/**
 * Minimal IP address helpers (parse to 16 bytes, compare, CIDR containment), written here
 * because node:net's BlockList is not available on every runtime we support. IPv4 addresses are
 * held in their IPv4-mapped IPv6 form, as Go's net.IP does, so sorting matches ContainerPilot.
 */

const V4_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseV4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): number[] | null {
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct); // zone id (fe80::1%eth0) is not part of the address
  if (s.split('::').length > 2) return null;
  if (s.includes('.')) {
    // Embedded IPv4 (::ffff:10.0.0.1): rewrite its four bytes as two hex groups.
    const lastColon = s.lastIndexOf(':');
    const v4 = lastColon >= 0 ? parseV4(s.slice(lastColon + 1)) : null;
    if (!v4) return null;
    const hi = (((v4[0] ?? 0) << 8) | (v4[1] ?? 0)).toString(16);
    const lo = (((v4[2] ?? 0) << 8) | (v4[3] ?? 0)).toString(16);
    s = `${s.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const [headStr, tailStr] = s.includes('::') ? s.split('::') : [s, undefined];
  const toGroups = (x: string | undefined): number[] | null => {
    if (x === undefined || x === '') return [];
    const out: number[] = [];
    for (const g of x.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = toGroups(headStr);
  const rest = toGroups(tailStr);
  if (!head || !rest) return null;
  let groups: number[];
  if (tailStr === undefined) {
    if (head.length !== 8) return null;
    groups = head;
  } else {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return bytes;
}

/** 16 bytes (IPv4 as ::ffff:a.b.c.d), or null when not an IP address. */
export function parseIp(s: string): Uint8Array | null {
  const v4 = parseV4(s);
  if (v4) return Uint8Array.from([...V4_PREFIX, ...v4]);
  const v6 = s.includes(':') ? parseV6(s) : null;
  return v6 && v6.length === 16 ? Uint8Array.from(v6) : null;
}

export function isV4(ip: Uint8Array): boolean {
  return V4_PREFIX.every((b, i) => ip[i] === b);
}

export function isLoopback(ip: Uint8Array): boolean {
  if (isV4(ip)) return ip[12] === 127;
  return ip.every((b, i) => (i === 15 ? b === 1 : b === 0));
}

export function compareIp(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 16; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Canonical text: dotted quad for IPv4, RFC 5952 compressed lowercase for IPv6. */
export function formatIp(ip: Uint8Array): string {
  if (isV4(ip)) return `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i] ?? 0) << 8) | (ip[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export interface Cidr {
  network: Uint8Array;
  /** Prefix length counted over the 16-byte form (IPv4 /16 is 96 + 16). */
  bits: number;
  v4: boolean;
}

export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(lenText)) return null;
  const v4 = isV4(ip) && !s.slice(0, slash).includes(':');
  const len = Number(lenText);
  if (len > (v4 ? 32 : 128)) return null;
  return { network: ip, bits: v4 ? 96 + len : len, v4 };
}

export function cidrContains(c: Cidr, ip: Uint8Array): boolean {
  if (c.v4 !== isV4(ip)) return false;
  for (let bit = 0; bit < c.bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((c.network[byte] ?? 0) & mask) !== ((ip[byte] ?? 0) & mask)) return false;
  }
  return true;
}
