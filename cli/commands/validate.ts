import { color } from '../../base/colors.js';
import { ExitError } from '../../base/errors.js';

/** What `validate --json` reports for one file (docs/cli-json.md). */
export interface ValidatedFile {
  file: string;
  valid: boolean;
  jobs: number;
  watches: number;
  warnings: string[];
  errors: string[];
}

/** `1 job, 2 watches`: how validate and migrate count a config. */
export const countJobsAndWatches = (jobs: number, watches: number): string => `${count(jobs, 'job', 'jobs')}, ${count(watches, 'watch', 'watches')}`;
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * `autopilot validate [file...]`: loads each config (v3, or 2.x through its translation) exactly
 * as `autopilot run` would and reports every problem of every file, so one call (or a shell glob)
 * checks a whole project. Exit 0 when all load, 2 otherwise.
 */
export async function validateCommand(files: string[], o: Record<string, unknown>): Promise<number> {
  const { ConfigError, loadConfigText, readConfigSource, resolveConfigSource } = await import('../../supervisor/config/index.js');
  const check = (file: string | undefined): ValidatedFile => {
    const result: ValidatedFile = { file: file ?? '', valid: false, jobs: 0, watches: 0, warnings: [], errors: [] };
    try {
      result.file = resolveConfigSource(file, process.env);
      const config = loadConfigText(readConfigSource(result.file), { file: result.file, env: process.env });
      return { ...result, valid: true, jobs: config.jobs.length, watches: config.watches.length, warnings: config.warnings ?? [] };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return { ...result, errors: err.errors };
    }
  };
  const results = (files.length === 0 ? [undefined] : files).map(check);
  const valid = results.every((r) => r.valid);
  if (o['json']) process.stdout.write(`${JSON.stringify({ valid, files: results }, null, 2)}\n`);
  else
    for (const r of results) {
      for (const w of r.warnings) process.stderr.write(`${color.yellow('warning')}: ${w}\n`);
      for (const e of r.errors) process.stderr.write(`${color.red('error')}: ${e}\n`);
      if (r.valid) process.stdout.write(`ok: ${r.file} (${countJobsAndWatches(r.jobs, r.watches)})\n`);
    }
  if (!valid) throw new ExitError(2);
  return 0;
}
