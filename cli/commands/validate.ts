import { color } from '../colors.js';
import { ExitError } from '../errors.js';

/**
 * `autopilot validate [file]`: loads a config (v3, or 2.x through its translation) exactly as
 * `autopilot run` would and reports every problem at once. Exit 0 when it loads, 2 otherwise.
 */
export async function validateCommand(file: string | undefined, _o: Record<string, unknown>): Promise<number> {
  const { ConfigError, loadConfigText, readConfigSource, resolveConfigSource } = await import('../../supervisor/config/index.js');
  try {
    const path = resolveConfigSource(file, process.env);
    const config = loadConfigText(readConfigSource(path), { file: path, env: process.env });
    for (const w of config.warnings ?? []) process.stderr.write(`${color.yellow('warning')}: ${w}\n`);
    // One fixed shape (always plural) so scripts can match it.
    process.stdout.write(`ok: ${path} (${config.jobs.length} jobs, ${config.watches.length} watches)\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.errors) process.stderr.write(`${color.red('error')}: ${line}\n`);
    throw new ExitError(2);
  }
}
