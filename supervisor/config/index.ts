/**
 * The config loader: source -> Go-template render -> JSON5 -> (v2 translation) -> validated model.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTemplate, TemplateError } from '../template/index.js';
import { ConfigError } from './errors.js';
import type { Config } from './model.js';

export { ConfigError };
export type * from './model.js';

export interface LoadOptions {
  file: string;
  env: Record<string, string | undefined>;
}

/** Renders the config as a Go template over the environment (ContainerPilot's -template mode). */
export function renderConfigText(text: string, opts: LoadOptions): string {
  try {
    return renderTemplate(text, opts.env, { name: opts.file });
  } catch (err) {
    if (err instanceof TemplateError) throw new ConfigError([err.message]);
    throw err;
  }
}

/** Loads config text already read from `opts.file`. Throws ConfigError listing every problem. */
export function loadConfigText(text: string, opts: LoadOptions): Config {
  renderConfigText(text, opts);
  throw new ConfigError([`${opts.file}: the config loader is not available in this build`]);
}

/** Reads a path or file:// URL (or $CONTAINERPILOT when empty) and loads it. */
export function loadConfigFile(pathOrFileUrl: string, env: Record<string, string | undefined> = process.env): Config {
  const source = pathOrFileUrl || env['CONTAINERPILOT'] || '';
  if (!source) throw new ConfigError(['no config given: pass a file or set CONTAINERPILOT']);
  const path = source.startsWith('file://') ? fileURLToPath(source) : source;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${path}: cannot read config: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  return loadConfigText(text, { file: path, env });
}
