/**
 * The config loader: source -> Go-template render over the environment -> JSON5 ->
 * (ContainerPilot 2.x translation) -> validation into the typed model (see model.ts).
 * Every problem is collected and thrown at once as a ConfigError.
 */
import { readFileSync } from 'node:fs';
import { fileUrlPath } from '../../base/file-url.js';
import { readFailure } from '../../base/os-errors.js';
import { renderTemplate, TemplateError } from '../template/index.js';
import { ConfigError } from './errors.js';
import { Issues, type Raw } from './fields.js';
import type { Config } from './model.js';
import { parseJson5 } from './parse.js';
import { isV2Config, originalPath, translateV2, type Translation } from './v2.js';
import { validateConfig } from './validate.js';

export { ConfigError };
export { isV2Config };
export type * from './model.js';

export type Env = Record<string, string | undefined>;
export interface LoadOptions {
  file: string;
  env: Env;
  /**
   * The command given after `--` (`autopilot run -config v2.json -- app args`): ContainerPilot 2.x
   * ran it as the main application. Only a 2.x config takes one; it runs as its 2.x "command".
   */
  command?: readonly string[];
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

/** Parses JSON5 text (already rendered) into a tree; syntax errors become ConfigError lines. */
export function parseConfigText(rendered: string, opts: { file: string; original?: string }): { tree: unknown; warnings: string[] } {
  const r = parseJson5(rendered);
  if ('message' in r) {
    const shifted = opts.original !== undefined && opts.original.split('\n').length !== rendered.split('\n').length;
    throw new ConfigError([`${opts.file}:${r.line}:${r.column}: ${r.message}${shifted ? ' (line in the rendered config)' : ''}`]);
  }
  const warnings = r.insertedCommas.map(([l, c]) => `${opts.file}:${l}:${c}: missing comma between values (accepted, as ContainerPilot's examples rely on it)`);
  return { tree: r.value, warnings };
}

/** Loads config text already read from `opts.file`. Throws ConfigError listing every problem. */
export function loadConfigText(text: string, opts: LoadOptions): Config {
  const rendered = renderConfigText(text, opts);
  const { tree, warnings } = parseConfigText(rendered, { file: opts.file, original: text });
  return loadConfigTree(tree, { ...opts, warnings });
}

/** Validates a parsed tree (v3, or 2.x which is translated first). */
export function loadConfigTree(tree: unknown, opts: LoadOptions & { warnings?: string[] }): Config {
  if (!tree || typeof tree !== 'object' || Array.isArray(tree)) {
    throw new ConfigError([`${opts.file}: expected an object at the top level (with "jobs", "consul", ...)`]);
  }
  let v3: unknown = tree;
  const v2 = isV2Config(tree);
  if (opts.command?.length) tree = withCommand(tree as Raw, opts.command, opts.file, v2);
  const translation = v2 ? translateConfigTree(tree as Raw, opts.file) : undefined;
  if (translation) v3 = translation.tree;
  const iss = new Issues(opts.file, v2);
  iss.warnings.push(...(opts.warnings ?? []));
  const config = validateConfig(iss, v3, opts.env);
  if (!config) {
    throw new ConfigError(translation ? iss.errors.map((e) => inUserTerms(e, opts.file, translation)) : iss.errors);
  }
  return config;
}

/**
 * An error found in the 3.x translation of a 2.x config, naming the field the user wrote
 * (`services[1].name`, `backends[0].poll`) where there is one; otherwise said to be in the
 * translation, which `autopilot migrate` shows.
 */
function inUserTerms(error: string, file: string, translation: Translation): string {
  const prefix = `${file}: `;
  const body = error.startsWith(prefix) ? error.slice(prefix.length) : undefined;
  const at = body?.indexOf(': ') ?? -1;
  const mapped = body && at > 0 ? originalPath(translation.origins, body.slice(0, at)) : undefined;
  if (mapped !== undefined) return `${prefix}${mapped}${body!.slice(at)}`;
  return `${error} (in the 3.x translation of this 2.x config; \`autopilot migrate\` shows it)`;
}

/** A 2.x tree with the command given after `--` as its "command" (a 3.x config takes none). */
function withCommand(tree: Raw, command: readonly string[], file: string, v2: boolean): Raw {
  if (!v2) throw new ConfigError([`${file}: a command after -- runs only with a ContainerPilot 2.x config; in a 3.x config make it a job ({ name: "app", exec: [...] })`]);
  if ('command' in tree) throw new ConfigError([`${file}: "command" is set in the file and a command was given after --; give only one`]);
  return { ...tree, command: [...command] };
}

/** Translates a 2.x tree to a v3 tree with notes; throws ConfigError for 2.x problems. */
export function translateConfigTree(tree: Raw, file: string): Translation {
  const iss = new Issues(file);
  const t = translateV2(iss, tree);
  if (!t) throw new ConfigError(iss.errors);
  return t;
}

/** Resolves a path, a file:// URL, or (when empty) $CONTAINERPILOT to a file path. */
export function resolveConfigSource(pathOrFileUrl: string | undefined, env: Env = process.env): string {
  const source = pathOrFileUrl || env['CONTAINERPILOT'] || '';
  if (!source) throw new ConfigError(['no config given: pass a file or set CONTAINERPILOT']);
  if (!source.startsWith('file://')) return source;
  try {
    return fileUrlPath(source);
  } catch {
    throw new ConfigError([`${source}: not a usable file:// URL`]);
  }
}

/** Reads the config text of a source; a missing or unreadable file is a ConfigError. */
export function readConfigSource(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([readFailure('config', path, err)]);
  }
}

/** Whether a source holds a 2.x config; false when it cannot be read or parsed (the caller decides). */
export function isV2ConfigSource(pathOrFileUrl: string, env: Env = process.env): boolean {
  try {
    const path = resolveConfigSource(pathOrFileUrl, env);
    return isV2Config(parseConfigText(renderConfigText(readConfigSource(path), { file: path, env }), { file: path }).tree);
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
}

/** Reads a path or file:// URL (or $CONTAINERPILOT when empty) and loads it. */
export function loadConfigFile(pathOrFileUrl: string, env: Env = process.env, command?: readonly string[]): Config {
  const path = resolveConfigSource(pathOrFileUrl, env);
  return loadConfigText(readConfigSource(path), { file: path, env, command });
}
