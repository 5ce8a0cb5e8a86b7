/** Syntax of `interfaces` specs (resolved to an IP at run time): ContainerPilot's parseInterfaceSpec. */
import { createRequire } from 'node:module';
import { Issues, readStrings } from './fields.js';

/**
 * node:net's isIP, loaded by the first spec that needs it (a CIDR or static:<ip>): every config
 * is validated at start, and loading node:net costs a Bun binary about 2 ms of it.
 */
let netIsIP: ((input: string) => number) | undefined;
const isIP = (input: string): number => (netIsIP ??= (createRequire(import.meta.url)('node:net') as typeof import('node:net')).isIP)(input);

const NAMED = /^\w+(?:\[\d+\]|:inet6?)?$/;

function isCidr(spec: string): boolean {
  const [ip, bits, extra] = spec.split('/');
  if (extra !== undefined || ip === undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  const v = isIP(ip);
  return v !== 0 && Number(bits) <= (v === 4 ? 32 : 128);
}

export function validateInterfaces(iss: Issues, path: string, value: unknown): string[] | undefined {
  const specs = readStrings(iss, path, value);
  if (!specs) return undefined;
  let ok = true;
  specs.forEach((spec, i) => {
    const valid =
      spec === 'inet' || spec === 'inet6' || NAMED.test(spec) || isCidr(spec) || (spec.startsWith('static:') && isIP(spec.slice(7)) !== 0);
    if (!valid) {
      ok = false;
      iss.error(Array.isArray(value) ? `${path}[${i}]` : path, `${JSON.stringify(spec)} is not an interface spec (eth0, eth0[1], eth0:inet6, inet, inet6, a CIDR such as 10.0.0.0/8, or static:<ip>)`);
    }
  });
  return ok ? (specs.length ? specs : ['eth0:inet', 'inet']) : undefined;
}
