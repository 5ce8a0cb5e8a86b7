/**
 * Where a generated image gets the `autopilot` binary. Pure: the command layer finds the
 * checksums and the binary to vendor; this module only turns them into Dockerfile text.
 *
 * The channel is the npm registry, as esbuild and turbo ship their binaries: one package per
 * platform holding `bin/autopilot`, installed in a build stage at the pinned version and checked
 * against its SHA-256. Users already reach npm (and their mirror of it) from their builds, so a
 * fresh machine needs nothing prepared; `--vendor` writes the binary into the build context
 * instead, for builds without network access.
 */
import { renderTemplate } from './render.js';

/** The npm package (its command is `autopilot`). */
export const PACKAGE_NAME = 'autopilot-pattern';

export const PLATFORMS = ['linux-x64', 'linux-arm64', 'linux-x64-musl', 'linux-arm64-musl'] as const;
export type Platform = (typeof PLATFORMS)[number];
export type Libc = 'glibc' | 'musl';

/** The npm package that holds the binary for one platform. */
export const platformPackage = (p: Platform): string => `${PACKAGE_NAME}-${p}`;
/** The binary's name in a release (SHA256SUMS, downloads). */
export const releaseBinary = (p: Platform): string => `autopilot-${p}`;

export interface SupervisorSource {
  /** The version every generated Dockerfile pins. */
  version: string;
  /** SHA-256 of `bin/autopilot` in each platform package of that version; empty for a development build. */
  sha256: Partial<Record<Platform, string>>;
  /** The binary is in each build context (`--vendor`); nothing is fetched at build time. */
  vendor: boolean;
  /** `sha512-...` of this version's published autopilot-pattern-client tarball; undefined for a development build. */
  clientIntegrity?: string;
}

/** The file a vendored build context holds, beside the Dockerfile. */
export const VENDORED_BINARY = 'autopilot';

/** `npx <package>@<version>`: how a generated project's docs run the version that made it. */
export const npxCommand = (version: string): string => `npx ${PACKAGE_NAME}@${version}`;

/**
 * The Dockerfile lines that bring the binary in: a build stage to put before the image's own
 * FROM (empty when vendored) and the COPY that goes after it.
 */
export function supervisorLines(s: SupervisorSource, libc: Libc): { stage: string; copy: string } {
  if (s.vendor) return { stage: '', copy: `COPY ${VENDORED_BINARY} /usr/local/bin/autopilot\n` };
  const suffix = libc === 'musl' ? '-musl' : '';
  const sum = (arch: 'x64' | 'arm64') => s.sha256[`linux-${arch}${suffix}` as Platform] ?? '';
  const stage = renderTemplate('autopilot', 'stage.ejs', {
    version: s.version,
    packagePrefix: `${PACKAGE_NAME}-linux-`,
    suffix,
    // Only a binary for the build machine's libc can run in the stage (glibc, node's image).
    check: libc === 'glibc',
    sums: { x64: sum('x64'), arm64: sum('arm64') },
    pinned: sum('x64') !== '' && sum('arm64') !== '',
  });
  return { stage, copy: 'COPY --from=autopilot /autopilot/package/bin/autopilot /usr/local/bin/autopilot\n' };
}
