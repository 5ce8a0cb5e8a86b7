/**
 * 2.x -> 3.x migration as text: the translated tree written as commented JSON5, checked to load
 * into exactly the model the 2.x file loads into. Go templates inside strings are kept as
 * written; a file that is only JSON after rendering is rendered with the given environment.
 */
import { isDeepStrictEqual } from 'node:util';
import { emitJson5 } from './emit.js';
import { ConfigError } from './errors.js';
import type { Raw } from './fields.js';
import { isV2Config, loadConfigText, parseConfigText, renderConfigText, translateConfigTree, type Env } from './index.js';
import type { Config } from './model.js';
import { parseJson5 } from './parse.js';

export interface Migration {
  text: string;
  jobs: number;
  watches: number;
}

export function migrateText(text: string, opts: { file: string; env: Env; outFile?: string }): Migration {
  const raw = parseJson5(text);
  let tree: unknown;
  let rendered = false;
  if (!('message' in raw) && isV2Config(raw.value)) tree = raw.value;
  else {
    tree = parseConfigText(renderConfigText(text, opts), { file: opts.file, original: text }).tree;
    rendered = text.includes('{{');
  }
  if (!isV2Config(tree)) {
    throw new ConfigError([`${opts.file}: not a ContainerPilot 2.x config (no services, backends, coprocesses, tasks, preStart, preStop or postStop); it needs no migration`]);
  }
  const t = translateConfigTree(tree as Raw, opts.file);
  if (rendered) t.notes.get('')!.push('Its Go templates were rendered with the environment at migration time, because the 2.x file is JSON only once rendered.');
  const out = emitJson5(t.tree, t.notes);

  // The promise of migrate: the new file means exactly what the old one did.
  const before = loadConfigText(text, opts);
  const after = loadConfigText(out, { file: opts.outFile ?? 'migrated.json5', env: opts.env });
  if (!isDeepStrictEqual(strip(before), strip(after))) {
    throw new Error(`migration of ${opts.file} does not reproduce its configuration`);
  }
  return { text: out, jobs: after.jobs.length, watches: after.watches.length };
}

function strip(c: Config): Config {
  const { warnings: _w, ...rest } = c;
  return rest;
}
