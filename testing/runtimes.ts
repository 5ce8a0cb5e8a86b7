/**
 * The runtimes the product supports, as argv prefixes that run the built CLI: Node (this
 * process's own binary), Bun and Deno (devDependencies installed by `npm ci`), and the
 * single-file binary (`npm run build:binary`). A missing one is an error, not a skip: the
 * project's setup installs all of them.
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { cliPath, repoRoot } from './paths.js';

export type RuntimeName = 'node' | 'bun' | 'deno' | 'binary';

export interface CliRuntime {
  readonly name: RuntimeName;
  /** The command and its leading arguments; append the CLI's own arguments. */
  readonly argv: readonly string[];
}

export const binaryPath: string = join(repoRoot, 'dist', 'bin', 'autopilot-linux-x64');
export const muslBinaryPath: string = join(repoRoot, 'dist', 'bin', 'autopilot-linux-x64-musl');
export const devBin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);

function requireFile(path: string, hint: string, mode = constants.X_OK): string {
  try {
    accessSync(path, mode);
    return path;
  } catch {
    throw new Error(`${path} is missing or not executable: ${hint}`);
  }
}

/** One runtime's argv prefix; throws (with the setup step to run) when it is not installed. */
export function cliRuntime(name: RuntimeName): CliRuntime {
  switch (name) {
    case 'node':
      return { name, argv: [process.execPath, requireFile(cliPath, 'run `npm run build`', constants.R_OK)] };
    case 'bun':
      return { name, argv: [requireFile(devBin('bun'), 'run `npm ci` (bun is a devDependency)'), cliPath] };
    case 'deno':
      // -A: the supervisor spawns jobs, reads the environment, opens sockets and (as PID 1)
      // needs FFI for the zombie reaper.
      return { name, argv: [requireFile(devBin('deno'), 'run `npm ci` (deno is a devDependency)'), 'run', '-A', cliPath] };
    case 'binary':
      return { name, argv: [requireFile(binaryPath, 'run `npm run build:binary`')] };
  }
}

export const RUNTIME_NAMES: readonly RuntimeName[] = ['node', 'bun', 'deno', 'binary'];

/** Every supported runtime; throws when one is not installed or built. */
export function cliRuntimes(): CliRuntime[] {
  return RUNTIME_NAMES.map(cliRuntime);
}
