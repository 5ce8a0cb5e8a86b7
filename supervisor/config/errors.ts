/**
 * ConfigError carries every problem found in a config, one line each, so a user fixes them all
 * in one pass. Each line names the file and either a line:col (syntax) or a field path.
 */
export class ConfigError extends Error {
  readonly errors: string[];
  constructor(errors: string[]) {
    super(errors.join('\n'));
    this.name = 'ConfigError';
    this.errors = errors;
  }
}
