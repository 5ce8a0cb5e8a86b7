/**
 * The config as it may appear in a log line: the Consul ACL token is replaced, so the
 * `loaded config` debug line never carries a secret.
 */
import type { Config } from './model.js';

export function configForLog(config: Config): string {
  return JSON.stringify(config, (key, value: unknown) => (key === 'token' && typeof value === 'string' && value !== '' ? '<redacted>' : value));
}
