/**
 * Go's `flag` package as a Go program's `flag.Parse()` reads its command line, for the
 * `containerpilot` name (cli/containerpilot.ts): `-name` or `--name`, `-name=value` or
 * `-name value` (a bool flag takes no separate value), parsing stops at the first argument that
 * is not a flag or after `--`; Go's own error messages, and its usage text (`Usage of <program>:`
 * then every flag, sorted, in `PrintDefaults` layout).
 */
export interface GoFlag {
  name: string;
  /** bool: `-name` alone means true; string: one value; value: a custom flag.Value (`value` in the usage). */
  kind: 'bool' | 'string' | 'value';
  usage: string;
  /** A custom flag.Value's Set: an error message for a value it refuses. */
  check?: (value: string) => string | undefined;
}

export type GoFlagsResult =
  /** Every value each flag was given, in order (bools as "true"/"false"); `args`: what follows the flags. */
  | { ok: true; values: ReadonlyMap<string, readonly string[]>; args: string[] }
  /** `-h`/`-help` (help, exit 0) or a mistake: `error` is Go's message (exit 2). Both print the usage. */
  | { ok: false; help: boolean; error?: string };

// strconv.ParseBool's spellings.
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's %q for the strings a command line holds (printable text quoted, `"` and `\` escaped). */
const quote = (s: string): string => JSON.stringify(s);

export function parseGoFlags(flags: readonly GoFlag[], argv: readonly string[]): GoFlagsResult {
  const byName = new Map(flags.map((f) => [f.name, f]));
  const values = new Map<string, string[]>();
  const fail = (error: string): GoFlagsResult => ({ ok: false, help: false, error });
  let i = 0;
  while (i < argv.length) {
    const s = argv[i]!;
    if (s.length < 2 || s[0] !== '-') break;
    const minuses = s[1] === '-' ? 2 : 1;
    if (s === '--') {
      i++;
      break;
    }
    let name = s.slice(minuses);
    if (name === '' || name[0] === '-' || name[0] === '=') return fail(`bad flag syntax: ${s}`);
    i++;
    let value: string | undefined;
    const eq = name.indexOf('=', 1);
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const flag = byName.get(name);
    if (!flag) {
      if (name === 'help' || name === 'h') return { ok: false, help: true };
      return fail(`flag provided but not defined: -${name}`);
    }
    if (flag.kind === 'bool') {
      if (value !== undefined && !TRUE.has(value) && !FALSE.has(value)) return fail(`invalid boolean value ${quote(value)} for -${name}: parse error`);
      value = value === undefined || TRUE.has(value) ? 'true' : 'false';
    } else {
      if (value === undefined) {
        if (i >= argv.length) return fail(`flag needs an argument: -${name}`);
        value = argv[i++]!;
      }
      const refused = flag.check?.(value);
      if (refused !== undefined) return fail(`invalid value ${quote(value)} for flag -${name}: ${refused}`);
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { ok: true, values, args: argv.slice(i) };
}

/** `flag.Usage` of Go's default command line: `Usage of <program>:` and `PrintDefaults()`. */
export function goUsage(program: string, flags: readonly GoFlag[]): string {
  let out = `Usage of ${program}:\n`;
  for (const flag of [...flags].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    let line = `  -${flag.name}`;
    if (flag.kind !== 'bool') line += ` ${flag.kind}`;
    // A one-letter bool fits its usage on the same line; anything longer goes below it.
    line += line.length <= 4 ? '\t' : '\n    \t';
    out += `${line}${flag.usage.split('\n').join('\n    \t')}\n`;
  }
  return out;
}
