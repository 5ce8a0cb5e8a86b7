/**
 * The one place that reads template files. Everything else asks this module, so the single-file
 * binary swaps the folder for an embedded map without touching the planners.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedAssets } from '../base/embedded.js';

/** The package root: the nearest folder above this module holding `templates/` and package.json. */
function findTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  throw new Error('templates folder not found above ' + fileURLToPath(import.meta.url));
}

let templatesDir: string | undefined;

/** Reads `templates/<component>/<file>` as UTF-8 text. */
export function readTemplate(component: string, file: string): string {
  const embedded = embeddedAssets()?.templates;
  if (embedded) {
    const text = embedded[`${component}/${file}`];
    if (text === undefined) throw new Error(`template ${component}/${file} is not embedded in this binary`);
    return text;
  }
  templatesDir ??= findTemplatesDir();
  return readFileSync(join(templatesDir, component, file), 'utf8');
}

/**
 * The JavaScript of autopilot-pattern-client (client/, compiled to dist/client/), which
 * generated apps vendor when no published tarball can be pinned: file name -> text, tests left out.
 */
export function readClientFiles(): Record<string, string> {
  const embedded = embeddedAssets()?.templates;
  if (embedded) {
    const prefix = '@client/';
    return Object.fromEntries(Object.entries(embedded).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  }
  templatesDir ??= findTemplatesDir();
  const dir = join(templatesDir, '..', 'dist', 'client');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js')).sort() : [];
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}
