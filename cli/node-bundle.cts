/**
 * Runs `dist/cli/autopilot.cjs`, the Node bundle of `entry.js` written by
 * `scripts/build-binary.mjs --node-bundle`, compiled with its V8 code cache
 * (`autopilot.cjs.cache`). The bundle is the whole CLI as one CommonJS function; the build
 * replaces the file URLs it would otherwise carry from the build machine by `__distUrl`, and its
 * one dynamic import (koffi's addon, by a computed name) by `require`.
 *
 * CommonJS, so that bin.cjs, the command as installed, starts without Node's ES module loader.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

type BundleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string, distUrl: string) => void;

/** True when the bundle ran (it then owns the process); false: load the modules instead. */
export function runNodeBundle(): boolean {
  // Bun and Deno compile modules fast themselves, and their node:vm is not Node's.
  if (process.versions.bun || 'Deno' in globalThis) return false;
  const here = __dirname;
  const file = join(here, 'autopilot.cjs');
  let source: string;
  try {
    // `tsc` rewrites every file it emits: an entry.js newer than the bundle means a build that
    // did not bundle, and the bundle would run old code.
    if (statSync(file).mtimeMs < statSync(join(here, 'entry.js')).mtimeMs) return false;
    source = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // No cache (another build, or removed): compiling takes longer, the result is the same.
  }
  // A cache from another Node version is rejected by V8 and the source is compiled instead.
  const script = new Script(source, { filename: file, cachedData });
  const run = script.runInThisContext() as BundleFunction;
  const module = { exports: {} };
  run(module.exports, createRequire(file), module, file, here, pathToFileURL(join(here, '..')).href + '/');
  return true;
}
