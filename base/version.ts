/**
 * What this build is: package.json's version and the git commit it was built from. Below every
 * other folder, so the CLI, the supervisor (telemetry, status) and the generator all read it here.
 */
import { readFileSync } from 'node:fs';
import { embeddedAssets } from './embedded.js';

function readJson(relative: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The package version: embedded in the single-file binary, else read once from package.json (shipped beside dist/). */
export const VERSION: string = (() => {
  const embedded = embeddedAssets()?.version;
  if (embedded) return embedded;
  const version = readJson('../../package.json')?.['version'];
  return typeof version === 'string' ? version : '0.0.0';
})();

let commit: string | undefined;

/**
 * The commit the build was made from: a short hash, `-dirty` when tracked files had uncommitted
 * changes, `unknown` when it was not built in a git checkout. `npm run build` records it in
 * dist/build-info.json (scripts/lib/build-info.mjs); the single-file binary embeds it. Read on
 * first use only: a supervisor's start never needs it.
 */
export function buildCommit(): string {
  if (commit === undefined) {
    const recorded = embeddedAssets()?.commit ?? readJson('../build-info.json')?.['commit'];
    commit = typeof recorded === 'string' && recorded !== '' ? recorded : 'unknown';
  }
  return commit;
}

/** `-version` as ContainerPilot prints it (`Version: 3.8.0\nGitHash: 8018142\n`). */
export function versionText(): string {
  return `Version: ${VERSION}\nGitHash: ${buildCommit()}\n`;
}

/** `autopilot --version`: the bare version, with the commit where the build knows it (`0.1.0 (8506824)`). */
export function bareVersionText(): string {
  const built = buildCommit();
  return built === 'unknown' ? `${VERSION}\n` : `${VERSION} (${built})\n`;
}
