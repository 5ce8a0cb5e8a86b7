import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { color } from '../../base/colors.js';
import { ExitError, UserError } from '../../base/errors.js';
import { countJobsAndWatches } from './validate.js';

/**
 * `autopilot migrate <v2.json> [-o out.json5] [--force]`: writes the ContainerPilot 3.x
 * equivalent of a 2.x config as commented JSON5 (to stdout without -o). The file is written
 * atomically and only after the result was checked to load into the same configuration.
 */
export async function migrateCommand(file: string, o: Record<string, unknown>): Promise<number> {
  const { ConfigError, readConfigSource, resolveConfigSource } = await import('../../supervisor/config/index.js');
  const { migrateText } = await import('../../supervisor/config/migrate.js');
  const out = typeof o['out'] === 'string' ? o['out'] : undefined;
  if (o['out'] !== undefined && !out) throw new UserError('--out needs a file name');
  if (out && existsSync(out) && !o['force']) throw new UserError(`${out} already exists (use --force to overwrite it)`);
  let result;
  try {
    const path = resolveConfigSource(file, process.env);
    result = migrateText(readConfigSource(path), { file: path, env: process.env, ...(out ? { outFile: out } : {}) });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.errors) process.stderr.write(`${color.red('error')}: ${line}\n`);
    throw new ExitError(2);
  }
  if (!out) {
    process.stdout.write(result.text);
    return 0;
  }
  writeAtomically(out, result.text);
  process.stderr.write(`wrote ${out} (${countJobsAndWatches(result.jobs, result.watches)})\n`);
  return 0;
}

/** Write to a temporary file beside the target, then rename: readers never see half a file. */
function writeAtomically(target: string, text: string): void {
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot write ${target}: ${code ?? String(err)}`);
  }
}
