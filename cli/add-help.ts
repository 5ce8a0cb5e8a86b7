/**
 * `autopilot add service --help` and `add backend --help`: each kind has its own options and
 * examples, which one `add <kind> <name>` command in cac cannot show. Each kind is described as a
 * cac command of its own, so the text has the same layout as every other help; `main.ts` still
 * parses and runs `add` itself.
 */
import { cac, type CAC } from 'cac';
import { VERSION } from '../base/version.js';

export const ADD_KINDS: readonly string[] = ['service', 'backend'];

type Command = ReturnType<CAC['command']>;

/** The options both kinds take, listed after each kind's own. */
function common(command: Command): Command {
  return command
    .option('--dir <dir>', 'Project directory', { default: '.' })
    .option('--yes, -y', 'Accept every default; never prompt')
    .option('--force', 'Overwrite files the change would create')
    .option('--dry-run', 'Print the plan; write nothing')
    .option('--json', 'Print the plan (with --dry-run) or the result as JSON (docs/cli-json.md)');
}

function kindsCli(): CAC {
  const cli = cac('autopilot add');
  const service = cli
    .command('service <name>', 'Add a Node.js service to a generated project: its folder, Dockerfile, ContainerPilot config and compose entry')
    .option('--port <port>', 'The port the new service listens on (default: the next free one from 3001)')
    .option('--vendor', 'Copy this autopilot binary into the build context (the default when the project was made with --vendor)');
  common(service)
    .example('autopilot add service billing --port 3003')
    .example('autopilot add service billing --dry-run --json   # the plan, for scripts');
  const backend = cli
    .command('backend <name>', 'Give services a backend: create <name> as a supervised database when the project has no such service, then make each dependant start once <name> is healthy in Consul, watch it and run its hook when its instances change (nginx: an upstream and a location /<name>)')
    .option('--service <svc>', 'A service that depends on the backend; repeatable or comma-separated (default: every app service, offered for choice on a terminal)')
    .option('--image <kind>', 'The database to create: mongo (default), postgres, mysql or redis (official images, data in a named volume)')
    .option('--external', 'The backend runs outside this project (registered in the same Consul): create nothing, only wire the services to it');
  common(backend)
    .example('autopilot add backend db --service hello')
    .example('autopilot add backend cache --image redis --service world')
    .example('autopilot add backend payments --external --service hello --dry-run')
    .example('autopilot add backend billing --service nginx --dry-run');
  cli.help();
  cli.version(VERSION);
  return cli;
}

/** The help of `add <kind>` when args ask for it (`add service --help`), else undefined. */
export function addKindHelp(args: readonly string[]): string | undefined {
  if (args[0] !== 'add' || !ADD_KINDS.includes(args[1] ?? '') || !args.some((a) => a === '--help' || a === '-h')) return undefined;
  const lines: string[] = [];
  const info = console.info;
  console.info = (...parts: unknown[]) => void lines.push(parts.join(' '));
  try {
    kindsCli().parse(['node', 'autopilot', args[1]!, '--help'], { run: false });
  } finally {
    console.info = info;
  }
  // cac heads the text with `<name>/<version>`; every other help says `autopilot/<version>`.
  return `${lines.join('\n').replace(/^autopilot add\//, 'autopilot/')}\n`;
}
