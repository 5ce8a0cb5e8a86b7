// The ContainerPilot configs the config-load and render benchmarks read: by default the
// project's own fixtures (supervisor/config/testdata: v3 configs, bare job arrays, a telemetry
// block), so a fresh clone runs them; with `--corpus <dir>` or $AUTOPILOT_COMPAT_DIR, the
// containerpilot-v3/ configs of a compatibility corpus laid out as ../shared/compat instead.
// Fragments are wrapped into whole configs, as the compat checks do.
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { corpusProblem, filesIn, v3Kind } from '../../compat/layout.mjs';
import { repoRoot } from './report.mjs';

const { configFixturesDir, fixtureFiles, fixtureText, wholeConfig } = await import(join(repoRoot, 'dist', 'testing', 'config-fixtures.js'));

/** The corpus folder asked for, or undefined for our fixtures. */
function corpusDir() {
  const i = process.argv.indexOf('--corpus');
  const dir = i > 0 ? process.argv[i + 1] : process.env.AUTOPILOT_COMPAT_DIR;
  if (!dir) return undefined;
  const abs = resolve(process.env.INIT_CWD ?? process.cwd(), dir);
  const problem = corpusProblem(abs);
  if (problem) throw new Error(`--corpus ${abs}: ${problem}`);
  return abs;
}

/**
 * { source: a phrase for the report, folder: where the files are (relative to the repository),
 *   corpus: boolean, flag: the command-line words that chose the files ('' for ours),
 *   files: [{ name, kind ('config', or the 'jobs'/'telemetry' fragment it was),
 *             text (a whole config), bytes (of the file as it is) }] }.
 */
export function benchConfigs() {
  const dir = corpusDir();
  if (dir === undefined) {
    const kinds = { v3: 'config', 'v3-jobs': 'jobs', 'v3-telemetry': 'telemetry' };
    const files = Object.entries(kinds).flatMap(([folder, kind]) => fixtureFiles(folder).map((f) => ({ name: `${folder}/${f}`, raw: fixtureText(folder, f), kind })));
    return { source: "the project's own ContainerPilot-style fixtures", folder: `${relative(repoRoot, configFixturesDir)}/`, corpus: false, flag: '', files: files.map(whole) };
  }
  const sub = join(dir, 'containerpilot-v3');
  const files = filesIn(dir, 'containerpilot-v3')
    .map((name) => ({ name, kind: v3Kind(name) }))
    .filter((f) => f.kind && f.kind !== 'template')
    .map((f) => whole({ ...f, raw: readFileSync(join(sub, f.name), 'utf8'), kind: f.kind === 'rejected' ? 'jobs' : f.kind }));
  return { source: 'the ContainerPilot v3 configs of a compatibility corpus', folder: `${relative(repoRoot, sub)}/`, corpus: true, flag: ` --corpus ${relative(repoRoot, dir) || '.'}`, files };
}

function whole({ name, raw, kind }) {
  return { name, kind, text: kind === 'config' ? raw : wholeConfig(kind, raw), bytes: Buffer.byteLength(raw) };
}
