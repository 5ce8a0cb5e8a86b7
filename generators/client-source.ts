/**
 * How a generated app gets autopilot-pattern-client, the package its code finds backends with.
 * Pure: the command layer says whether this version's published client is known.
 *
 * A release knows the integrity of the client tarball published with it (CLIENT-INTEGRITY at the
 * npm package's root): the app depends on that exact version and its lockfile pins the integrity,
 * so `npm ci` installs exactly the published tarball, from the registry or its mirror. A
 * development build (a checkout, a binary without that file) cannot point at a published tarball,
 * just as it pins no binary checksums; it, and `--vendor` (builds without network), copy the
 * client's JavaScript into the app as vendor/autopilot-pattern-client/ and depend on it with a
 * `file:` specifier, which the lockfile records as a link: `npm ci` stays reproducible offline.
 */
import { readClientFiles } from './template-files.js';
import type { FileOp } from './types.js';

export const CLIENT_PACKAGE = 'autopilot-pattern-client';
export const CLIENT_VENDOR_DIR = `vendor/${CLIENT_PACKAGE}`;
const LICENSE = 'MPL-2.0';

export interface ClientSource {
  version: string;
  /** `sha512-...` of the published tarball of `version`; undefined: vendor the client. */
  integrity?: string;
}

export const isVendoredClient = (c: ClientSource): boolean => c.integrity === undefined;

/** The app's package.json dependency on the client. */
export function clientSpecifier(c: ClientSource): string {
  return isVendoredClient(c) ? `file:${CLIENT_VENDOR_DIR}` : c.version;
}

/** The package-lock.json `packages` entries for the client. */
export function clientLockEntries(c: ClientSource): Record<string, unknown> {
  if (isVendoredClient(c)) {
    return {
      [`node_modules/${CLIENT_PACKAGE}`]: { resolved: CLIENT_VENDOR_DIR, link: true },
      [CLIENT_VENDOR_DIR]: { version: c.version, license: LICENSE, engines: { node: '>=20' } },
    };
  }
  return { [`node_modules/${CLIENT_PACKAGE}`]: { version: c.version, integrity: c.integrity, license: LICENSE, engines: { node: '>=20' } } };
}

/** The vendored client's files under `<service>/vendor/...` (none when the published one is pinned). */
export function clientVendorOps(service: string, c: ClientSource): FileOp[] {
  if (!isVendoredClient(c)) return [];
  const files = readClientFiles();
  if (!files['index.js']) throw new Error('the client\'s JavaScript (dist/client/index.js) is missing: run `npm run build`');
  const manifest = { name: CLIENT_PACKAGE, version: c.version, description: 'Vendored by autopilot: healthy instances of a service in Consul', license: LICENSE, type: 'module', exports: { '.': './index.js' }, engines: { node: '>=20' } };
  const dir = `${service}/${CLIENT_VENDOR_DIR}`;
  return [
    { path: `${dir}/package.json`, content: JSON.stringify(manifest, null, 2) + '\n', action: 'create' },
    ...Object.entries(files).map(([name, content]) => ({ path: `${dir}/${name}`, content, action: 'create' as const })),
  ];
}

/** package.json and package-lock.json texts with the client added to the dependencies. */
export function withClient(pkgText: string, lockText: string, c: ClientSource): { pkg: string; lock: string } {
  const pkg = JSON.parse(pkgText) as { dependencies?: Record<string, string> };
  pkg.dependencies = sortKeys({ ...pkg.dependencies, [CLIENT_PACKAGE]: clientSpecifier(c) });
  const lock = JSON.parse(lockText) as { packages: Record<string, { dependencies?: Record<string, string> }> };
  const root = lock.packages['']!;
  root.dependencies = sortKeys({ ...root.dependencies, [CLIENT_PACKAGE]: clientSpecifier(c) });
  const { '': rootEntry, ...rest } = lock.packages;
  lock.packages = { '': rootEntry!, ...sortKeys({ ...rest, ...clientLockEntries(c) }) };
  return { pkg: JSON.stringify(pkg, null, 2) + '\n', lock: JSON.stringify(lock, null, 2) + '\n' };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
