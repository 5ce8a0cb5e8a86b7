/**
 * Usage mistakes, answered as git and docker answer them: `help <command>`, "did you mean" for a
 * mistyped command or option, a missing argument named with an example, and every message in one
 * voice (lowercase, `error: ` prefixed by the boundary, pointing at the right `--help`).
 */
import type { CAC } from 'cac';
import { suggest } from '../base/suggest.js';
import { ADD_KINDS, addKindHelp } from './add-help.js';
import { UserError } from '../base/errors.js';

export { addKindHelp };

export function commandNames(cli: CAC): string[] {
  return cli.commands.map((c) => c.name).filter((n) => n !== '');
}

const didYouMean = (typed: string, candidates: readonly string[]) => {
  const hit = suggest(typed, candidates);
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`;
};

/** `help`, `help <command>` and `help add <kind>` become the `--help` of what they name. */
export function helpArgv(argv: readonly string[], commands: readonly string[]): string[] {
  // `help --help` is the help of `help` itself: cac shows it.
  if (argv[0] !== 'help' || argv[1]?.startsWith('-')) return [...argv];
  const topic = argv.slice(1);
  if (topic.length === 0) return ['--help'];
  if (!commands.includes(topic[0]!)) throw unknownCommand(topic[0]!, commands);
  return [...topic, '--help'];
}

export function unknownCommand(typed: string, commands: readonly string[]): UserError {
  if (typed.startsWith('-')) return unknownOption(typed, ['--help', '--version', '-h', '-v', '-V'], '');
  return new UserError(`unknown command "${typed}"${didYouMean(typed, commands)}; see autopilot --help`);
}

function unknownOption(typed: string, known: readonly string[], topic: string): UserError {
  const where = topic ? ` for "autopilot ${topic}"` : '';
  return new UserError(`unknown option "${typed}"${where}${didYouMean(typed, known)}; see autopilot ${topic ? `${topic} ` : ''}--help`);
}

/** What each command's required arguments are, with an example that supplies them. */
const MISSING: Record<string, (args: readonly string[]) => string> = {
  add: (args) =>
    args[1] === undefined || !ADD_KINDS.includes(args[1])
      ? 'add: missing <kind>: "service" or "backend", e.g. autopilot add service billing --port 3003'
      : args[1] === 'service'
        ? 'add service: missing <name>, the new service\'s name, e.g. autopilot add service billing --port 3003'
        : 'add backend: missing <name>, the service to watch, e.g. autopilot add backend db --service hello',
  migrate: () => 'migrate: missing <file>, the 2.x config, e.g. autopilot migrate containerpilot.json -o containerpilot.json5',
  ctl: () => 'ctl: missing <action>: reload, ping, putenv, putmetric or maintenance, e.g. autopilot ctl reload',
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Turns cac's own errors (CACError, in its own wording) into ours; anything else passes through. */
export function usageError(err: unknown, cli: CAC, args: readonly string[]): unknown {
  if (!(err instanceof Error) || err.name !== 'CACError') return err;
  const command = cli.matchedCommand?.name ?? '';
  const topic = command === 'add' && ADD_KINDS.includes(args[1] ?? '') ? `add ${args[1]}` : command;
  const help = `see autopilot ${topic ? `${topic} ` : ''}--help`;
  const unknown = /^Unknown option `-{1,2}(.+)`$/.exec(err.message);
  if (unknown) {
    const typed = unknown[1]!.length > 1 ? `--${kebab(unknown[1]!)}` : `-${unknown[1]}`;
    const known = [...(cli.matchedCommand?.options ?? []), ...cli.globalCommand.options].flatMap((o) => o.rawName.split(/[ ,]+/).filter((w) => w.startsWith('-')));
    return unknownOption(typed, known, topic);
  }
  if (err.message.startsWith('missing required args')) return new UserError(`${MISSING[command]?.(args) ?? `${command}: missing an argument`}; ${help}`);
  const noValue = /^option `(-{1,2}[\w-]+)[^`]*` value is missing$/.exec(err.message);
  if (noValue) return new UserError(`option ${noValue[1]} needs a value; ${help}`);
  const unused = /^Unused args: (.*)$/.exec(err.message);
  if (unused) return new UserError(`too many arguments: ${unused[1]!.replace(/`/g, '"')}; ${help}`);
  return new UserError(`${err.message.charAt(0).toLowerCase()}${err.message.slice(1)}; ${help}`);
}
