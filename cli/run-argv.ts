/**
 * `autopilot run` is PID 1 of every container, and building the whole command line (cac, with
 * every command and option) is about 3 ms of its start. Its plain forms are read here instead:
 * `run`, `--config <path>` or `--config=<path>`, `--template`, `--out <file>` or `--out=<file>`,
 * and `-- cmd...`. Anything else (help, a typo, a repeated or empty flag) is left to cac, which
 * explains it: this only ever takes argv that cac would read the same way.
 */
import type { RunOptions } from './commands/run.js';

const VALUE_FLAGS = new Set(['--config', '--out']);

/** The options of a plain `run` argv (after legacy translation), or undefined to go through cac. */
export function plainRunOptions(argv: readonly string[]): RunOptions | undefined {
  if (argv[0] !== 'run') return undefined;
  const o: RunOptions = {};
  const seen = new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      o['--'] = argv.slice(i + 1);
      return o;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (seen.has(flag)) return undefined;
    seen.add(flag);
    if (flag === '--template' && eq < 0) {
      o.template = true;
    } else if (VALUE_FLAGS.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      // An empty value or one that looks like a flag: cac's reading (and its message) decides.
      if (value === undefined || value === '' || value.startsWith('-')) return undefined;
      if (flag === '--config') o.config = value;
      else o.out = value;
    } else {
      return undefined;
    }
  }
  return o;
}
