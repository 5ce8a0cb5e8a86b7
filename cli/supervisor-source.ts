/**
 * Finds, for `new` and `add`, where the generated images get autopilot: the published checksums
 * of this version's binaries, and with `--vendor` the binary to copy into the build contexts.
 *
 * Checksums exist only for a release. `npm run release` writes SHA256SUMS at the npm package's
 * root and beside the binary in each platform package; a checkout never has one (binaries built
 * there are not the published ones, and pinning them would break every user's build).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLATFORMS, platformPackage, releaseBinary, type Platform, type SupervisorSource } from '../generators/supervisor-source.js';
import { embeddedAssets } from '../base/embedded.js';
import { UserError } from '../base/errors.js';
import { VERSION } from '../base/version.js';

/** `<sha256>  autopilot-<platform>` lines (sha256sum's format) -> checksum by platform. */
export function parseChecksums(text: string): Partial<Record<Platform, string>> {
  const out: Partial<Record<Platform, string>> = {};
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line.trim());
    const platform = m && PLATFORMS.find((p) => releaseBinary(p) === m[2]);
    if (platform) out[platform] = m[1]!;
  }
  return out;
}

const readIfExists = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The running single-file binary, or undefined when a runtime runs the modules. */
const runningBinary = (): string | undefined => (embeddedAssets() ? process.execPath : undefined);

function findChecksums(): Partial<Record<Platform, string>> {
  const binary = runningBinary();
  if (binary === undefined) {
    const text = readIfExists(fileURLToPath(new URL('../../SHA256SUMS', import.meta.url)));
    return text === undefined ? {} : parseChecksums(text);
  }
  // A release download (SHA256SUMS beside the binary) or a platform package (bin/autopilot,
  // SHA256SUMS one folder up). Trusted only when it lists this very binary.
  for (const path of [join(dirname(binary), 'SHA256SUMS'), join(dirname(binary), '..', 'SHA256SUMS')]) {
    const text = readIfExists(path);
    if (text === undefined) continue;
    const sums = parseChecksums(text);
    if (Object.values(sums).includes(sha256File(binary))) return sums;
  }
  return {};
}

/** This machine's platform, as the packages name it; undefined where no binary is built. */
export function hostPlatform(): Platform | undefined {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return undefined;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const platform = `linux-${process.arch}${header?.glibcVersionRuntime ? '' : '-musl'}`;
  return PLATFORMS.find((p) => p === platform);
}

/** The binary `--vendor` copies: this one, else the installed platform package's, else a checkout's build. */
function findVendorBinary(): string {
  const binary = runningBinary();
  if (binary !== undefined) return binary;
  const platform = hostPlatform();
  if (platform === undefined) throw new UserError(`--vendor: autopilot has no binary for ${process.platform}-${process.arch} (linux x64 and arm64 only)`);
  const candidates: string[] = [];
  try {
    const pkg = createRequire(import.meta.url).resolve(`${platformPackage(platform)}/package.json`);
    candidates.push(join(dirname(pkg), 'bin', 'autopilot'));
  } catch {
    // not installed (an unsupported platform, or optional dependencies skipped)
  }
  candidates.push(fileURLToPath(new URL(`../bin/${releaseBinary(platform)}`, import.meta.url)));
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) throw new UserError(`--vendor: no autopilot binary for ${platform} here (install ${platformPackage(platform)}@${VERSION}, or run \`npm run build:binary\` in a checkout)`);
  return found;
}

/**
 * The integrity of the autopilot-pattern-client tarball published with this version: the release
 * writes CLIENT-INTEGRITY at the npm package's root. A checkout, or a binary, has none.
 */
function findClientIntegrity(): string | undefined {
  if (runningBinary() !== undefined) return undefined;
  const text = readIfExists(fileURLToPath(new URL('../../CLIENT-INTEGRITY', import.meta.url)))?.trim();
  return text !== undefined && /^sha512-[A-Za-z0-9+/]+=*$/.test(text) ? text : undefined;
}

export function supervisorSource(vendor: boolean): { supervisor: SupervisorSource; vendorFrom?: string } {
  const supervisor = { version: VERSION, sha256: vendor ? {} : findChecksums(), vendor, clientIntegrity: vendor ? undefined : findClientIntegrity() };
  return vendor ? { supervisor, vendorFrom: findVendorBinary() } : { supervisor };
}
