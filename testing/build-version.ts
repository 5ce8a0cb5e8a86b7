/**
 * What the built CLI should answer to `--version` and `-version`: package.json's version and the commit
 * `npm run build` recorded in dist/build-info.json (the single-file binary embeds the same one).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

const read = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) as Record<string, unknown>;

export const builtVersion: string = String(read('package.json')['version']);
export const builtCommit: string = String(read('dist/build-info.json')['commit']);
/** `Version: <version>\nGitHash: <commit>\n`, ContainerPilot's `-version` layout. */
export const versionText = `Version: ${builtVersion}\nGitHash: ${builtCommit}\n`;
/** `<version> (<commit>)\n`, what `autopilot --version` prints (the commit left out where unknown). */
export const bareVersionText = builtCommit === 'unknown' ? `${builtVersion}\n` : `${builtVersion} (${builtCommit})\n`;
