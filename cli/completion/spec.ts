/**
 * The shape of the command line that completion needs, read from the cac definitions in
 * `main.ts` at the moment a script or a candidate is asked for, so completion cannot drift from
 * the real commands and flags.
 */
import type { CAC } from 'cac';

export interface OptionSpec {
  /** Every spelling, long ones first as cac lists them: `--yes`, `-y`. */
  flags: string[];
  /** True when the option reads the next word as its value (`--service <svc>`). */
  takesValue: boolean;
  description: string;
}

export interface CommandSpec {
  name: string;
  description: string;
  /** The command's own options followed by the global ones (`--help`). */
  options: OptionSpec[];
}

export interface CliSpec {
  commands: CommandSpec[];
  /** What may come before a command: `--help`, `--version`. */
  globalOptions: OptionSpec[];
}

type CacOption = CAC['globalCommand']['options'][number];

// Scripts embed these words unquoted: a word that needed quoting would be a bug in main.ts.
const WORD = /^-{0,2}[A-Za-z0-9][\w-]*$/;

function word(w: string): string {
  if (!WORD.test(w)) throw new Error(`completion: "${w}" is not a plain word`);
  return w;
}

function optionSpec(o: CacOption): OptionSpec {
  const flags = o.rawName.split(/[ ,]+/).filter((w) => w.startsWith('-')).map(word);
  return { flags, takesValue: !o.isBoolean, description: o.description };
}

export function cliSpec(cli: CAC): CliSpec {
  const globalOptions = cli.globalCommand.options.map(optionSpec);
  const help = globalOptions.filter((o) => o.flags.includes('--help'));
  const commands = cli.commands
    .filter((c) => c.name !== '')
    .map((c) => ({ name: word(c.name), description: c.description, options: [...c.options.map(optionSpec), ...help] }));
  return { commands, globalOptions };
}

/** Every spelling of every option, in order. */
export const flagsOf = (options: readonly OptionSpec[]): string[] => options.flatMap((o) => o.flags);
