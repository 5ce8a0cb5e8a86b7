/**
 * What `autopilot __complete <words...>` answers: the words that may stand where the last word
 * is being typed. The words are the command line after the program's name, the last one the
 * (possibly empty) word under the cursor. Pure: the project on disk and the blueprints come in
 * through `Sources`, so every case is tested without a shell.
 */
import { flagsOf, type CliSpec, type CommandSpec, type OptionSpec } from './spec.js';

export interface Sources {
  blueprints(): string[];
  /** The services of the project in `dir` (compose services); none when there is no project. */
  services(dir: string): string[];
  /** Those of the services that have their own containerpilot.json5 (they can watch a backend). */
  supervisedServices(dir: string): string[];
  shells: readonly string[];
  addKinds: readonly string[];
  /** What `add backend --image` creates. */
  databases: readonly string[];
}

/** What the command line says so far: the command, its positional words and option values. */
interface Parsed {
  command: CommandSpec | undefined;
  positionals: string[];
  values: Map<string, string>;
  /** The option whose value is being typed, when the word before the cursor is one. */
  pendingOption: OptionSpec | undefined;
  /** After `--`: the rest is another program's command line. */
  afterDashDash: boolean;
}

const findOption = (options: readonly OptionSpec[], flag: string) => options.find((o) => o.flags.includes(flag));

function parse(spec: CliSpec, before: readonly string[]): Parsed {
  const parsed: Parsed = { command: undefined, positionals: [], values: new Map(), pendingOption: undefined, afterDashDash: false };
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    if (parsed.afterDashDash) continue;
    if (!parsed.command) {
      if (w.startsWith('-')) continue;
      parsed.command = spec.commands.find((c) => c.name === w);
      if (!parsed.command) return parsed;
      continue;
    }
    if (w === '--') {
      parsed.afterDashDash = true;
      continue;
    }
    if (!w.startsWith('-')) {
      parsed.positionals.push(w);
      continue;
    }
    const [flag, inline] = w.split(/=(.*)/s) as [string, string | undefined];
    const option = findOption(parsed.command.options, flag);
    if (!option?.takesValue) continue;
    if (inline !== undefined) parsed.values.set(option.flags[0]!, inline);
    else if (i + 1 < before.length) parsed.values.set(option.flags[0]!, before[++i]!);
    else parsed.pendingOption = option;
  }
  return parsed;
}

/** `--service a,b`: the services not yet listed, each after those that are. */
function serviceList(current: string, services: string[]): string[] {
  const listed = current.split(',').slice(0, -1);
  const head = listed.map((s) => `${s},`).join('');
  return services.filter((s) => !listed.includes(s)).map((s) => head + s);
}

function optionValues(option: OptionSpec, parsed: Parsed, current: string, src: Sources): string[] {
  const dir = parsed.values.get('--dir') ?? '.';
  if (option.flags.includes('--service')) return serviceList(current, src.supervisedServices(dir).filter((s) => s !== parsed.positionals[1]));
  if (option.flags.includes('--image')) return [...src.databases];
  return [];
}

function argumentValues(command: string, parsed: Parsed, spec: CliSpec, src: Sources): string[] {
  const [first] = parsed.positionals;
  const index = parsed.positionals.length;
  const dir = parsed.values.get('--dir') ?? '.';
  switch (`${command} ${index}`) {
    case 'new 0':
      return src.blueprints();
    case 'add 0':
      return [...src.addKinds];
    case 'add 1':
      // A backend is watched by name: the project's own services are the likely ones.
      return first === 'backend' ? src.services(dir) : [];
    case 'help 0':
      return spec.commands.map((c) => c.name);
    case 'completion 0':
      return [...src.shells];
    default:
      return [];
  }
}

export function candidates(spec: CliSpec, words: readonly string[], src: Sources): string[] {
  const current = words.at(-1) ?? '';
  const parsed = parse(spec, words.slice(0, -1));
  let all: string[];
  if (!parsed.command) {
    const typedUnknown = words.slice(0, -1).some((w) => !w.startsWith('-'));
    all = typedUnknown ? [] : current.startsWith('-') ? flagsOf(spec.globalOptions) : spec.commands.map((c) => c.name);
  } else if (parsed.afterDashDash) {
    all = [];
  } else if (parsed.pendingOption) {
    all = optionValues(parsed.pendingOption, parsed, current, src);
  } else if (current.startsWith('-')) {
    all = flagsOf(parsed.command.options);
  } else {
    all = argumentValues(parsed.command.name, parsed, spec, src);
  }
  return [...new Set(all)].filter((c) => c.startsWith(current));
}
