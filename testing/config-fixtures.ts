/**
 * The project's own ContainerPilot-style configs, written for the tests
 * (supervisor/config/testdata, read from the source tree as the other testdata are): whole v3
 * configs, bare `jobs:` arrays, a `telemetry:` block, and 2.x configs. The folder's README says
 * which scenario each file re-enacts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** `v3`: whole configs; `v3-jobs`: the value of `jobs:`; `v3-telemetry`: the value of `telemetry:`; `v2`: 2.x JSON. */
export type FixtureKind = 'v3' | 'v3-jobs' | 'v3-telemetry' | 'v2';

export const configFixturesDir: string = join(repoRoot, 'supervisor', 'config', 'testdata');

export const fixturePath = (kind: FixtureKind, name: string): string => join(configFixturesDir, kind, name);

export const fixtureText = (kind: FixtureKind, name: string): string => readFileSync(fixturePath(kind, name), 'utf8');

/** The config files of one kind (.json5 or .json), sorted. */
export function fixtureFiles(kind: FixtureKind): string[] {
  return readdirSync(join(configFixturesDir, kind)).filter((f) => /\.json5?$/.test(f)).sort();
}

/**
 * A fragment as a whole config: a bare jobs array becomes `{jobs: ...}` (with a Consul address
 * when a job has a port, which requires one), a telemetry block `{telemetry: ...}`.
 */
export function wholeConfig(fragment: 'jobs' | 'telemetry', text: string): string {
  if (fragment === 'telemetry') return `{telemetry: ${text}}`;
  return `{${/\bport:/.test(text) ? 'consul: "localhost:8500", ' : ''}jobs: ${text}}`;
}
