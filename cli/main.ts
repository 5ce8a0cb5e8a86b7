import { cac } from 'cac';
import { quietOnClosedPipe } from './closed-pipe.js';
import { commandJit } from './jit-policy.js';
import { translateLegacyArgv } from './legacy-flags.js';
import { rawFlagValue } from './raw-flag.js';
import { plainRunOptions } from './run-argv.js';
import { VERSION, bareVersionText, versionText } from '../base/version.js';

type Opts = Record<string, unknown> & { '--'?: string[] };

/**
 * Defines the commands and their flags; each action lazily imports `commands/<name>.js` so that
 * `autopilot run` as PID 1 never loads the generator (and vice versa).
 * Returns the exit code the process should end with.
 */
export async function main(rawArgv: readonly string[]): Promise<number | void> {
  const argv = translateLegacyArgv(rawArgv);
  const plainRun = plainRunOptions(argv);
  if (plainRun) return (await import('./commands/run.js')).runCommand(plainRun);
  quietOnClosedPipe();
  // The daemons set their own policy (jit-policy.ts); every other command computes and exits.
  if (argv[0] !== 'run' && argv[0] !== 'render') commandJit();
  const cli = cac('autopilot');
  let result: Promise<number | void> = Promise.resolve();
  const action =
    <A extends unknown[]>(fn: (...args: A) => Promise<number | void>) =>
    (...args: A) => {
      result = fn(...args);
    };

  cli
    .command('new [blueprint] [dir]', 'Scaffold a blueprint (hello-world, todo-api) into dir')
    .option('--yes, -y', 'Accept every default; never prompt (also when stdin is not a TTY)')
    .option('--force', 'Write into a non-empty directory and overwrite existing files')
    .option('--dry-run', 'Print the plan; write nothing')
    .option('--json', 'Print the plan (with --dry-run) or the result as JSON (docs/cli-json.md)')
    .option('--name <name>', 'Project name: lowercase letters, digits and "-" (default: the directory name)')
    .option('--vendor', 'Copy this autopilot binary into each build context instead of installing it from npm at build time (builds without network)')
    .option('--target <target>', 'compose (default): docker-compose.yml; swarm: also docker-stack.yml for `docker stack deploy` (3 Consul servers, deploy sections, overlay network)')
    .option('--consul-agent', 'Run a Consul agent in each container that joins the consul service; autopilot and the app talk to it on localhost:8500')
    .example('autopilot new hello-world my-app')
    .example('autopilot new hello-world my-app --yes   # never prompts')
    .example('autopilot new todo-api api-demo --yes')
    .example('autopilot new hello-world my-app --target swarm   # also docker-stack.yml')
    .example('autopilot new hello-world my-app --dry-run   # prints the plan, writes nothing')
    .action(action(async (blueprint: string | undefined, dir: string | undefined, o: Opts) => (await import('./commands/new.js')).newCommand(blueprint, dir, o)));

  cli
    .command('add <kind> <name>', 'Add to a generated project: `add backend <name>` (a database, or a service others depend on) or `add service <name> --port <n>` (see autopilot add backend --help)')
    .option('--service <svc>', 'For `add backend`: a service that depends on the backend (repeatable; default: every app service)')
    .option('--image <kind>', 'For `add backend`: the database to create: mongo (default), postgres, mysql or redis')
    .option('--external', 'For `add backend`: the backend runs outside this project; only wire the services to it')
    .option('--port <port>', 'For `add service`: the port the new service listens on')
    .option('--vendor', 'For `add service`: copy this autopilot binary into the build context (the default when the project was made with --vendor)')
    .option('--consul-agent', 'For `add service`: run a Consul agent in its container (the default when the project was made with --consul-agent)')
    .option('--dir <dir>', 'Project directory', { default: '.' })
    .option('--yes, -y', 'Accept every default; never prompt')
    .option('--force', 'Overwrite files the change would create')
    .option('--dry-run', 'Print the plan; write nothing')
    .option('--json', 'Print the plan (with --dry-run) or the result as JSON (docs/cli-json.md)')
    .example('autopilot add backend db --service hello')
    .example('autopilot add backend cache --image redis --service world')
    .example('autopilot add service billing --port 3003')
    .example('autopilot add backend billing --service nginx --dry-run')
    .action(action(async (kind: string, name: string, o: Opts) => (await import('./commands/add.js')).addCommand(kind, name, { ...o, port: rawFlagValue(argv, '--port') ?? o['port'] })));

  cli
    .command('ctl <action> [...args]', 'Talk to a running supervisor: reload, ping, putenv K=V..., putmetric name=value..., maintenance enable|disable')
    .option('--config <file>', 'Config whose control.socket to use (default: $CONTAINERPILOT)')
    .option('--socket <path>', 'Control socket path (default: /var/run/containerpilot.socket)')
    .option('--putenv <K=V>', 'ContainerPilot form: another variable (repeatable)')
    .option('--putmetric <name=value>', 'ContainerPilot form: another metric (repeatable)')
    .example('autopilot ctl putenv VERSION=2 --config containerpilot.json5')
    .action(action(async (a: string, args: string[], o: Opts) => (await import('./commands/ctl.js')).ctlCommand(a, args, o)));

  cli
    .command('status', 'Show the jobs, health, restarts, watches and instances of a running supervisor')
    .option('--config <file>', 'Config whose control.socket to use (default: $CONTAINERPILOT)')
    .option('--socket <path>', 'Control socket path (default: /var/run/containerpilot.socket)')
    .option('--json', 'Print the status as JSON')
    .example('autopilot status --json --config containerpilot.json5')
    .action(action(async (o: Opts) => (await import('./commands/status.js')).statusCommand(o)));

  cli
    .command('health [job]', "Exit 0 when the running supervisor's health-checked jobs (or the job named) are healthy, 1 if not: for Docker's HEALTHCHECK")
    .option('--config <file>', 'Config whose control.socket to use (default: $CONTAINERPILOT)')
    .option('--socket <path>', 'Control socket path (default: /var/run/containerpilot.socket)')
    .example('autopilot health --config containerpilot.json5')
    .action(action(async (job: string | undefined, o: Opts) => (await import('./commands/health.js')).healthCommand(job, o)));

  cli
    .command('validate [...files]', 'Check ContainerPilot configs (3.x, or 2.x via its translation) and report every problem (default: $CONTAINERPILOT)')
    .option('--json', 'Print each file\'s result as JSON (docs/cli-json.md)')
    .example('autopilot validate containerpilot.json5')
    .example('autopilot validate */containerpilot.json5 --json   # every service of a project')
    .action(action(async (files: string[], o: Opts) => (await import('./commands/validate.js')).validateCommand(files, o)));

  cli
    .command('migrate <file>', 'Translate a ContainerPilot 2.x config to the 3.x format (JSON5 with comments)')
    .option('--out, -o <file>', 'Write to this file instead of stdout')
    .option('--force', 'Overwrite the --out file if it exists')
    .example('autopilot migrate containerpilot.json -o containerpilot.json5')
    .action(action(async (file: string, o: Opts) => (await import('./commands/migrate.js')).migrateCommand(file, o)));

  cli
    .command('run', 'Supervise the jobs of a ContainerPilot config ($CONTAINERPILOT by default), or one command given after --')
    .usage(
      'run [--config path] [--template] [--out file] [-- cmd...]\n\n' +
        '  With a ContainerPilot 2.x config, `-- cmd` is its main application (as 2.x ran it); alone, `-- cmd` is run as an init.\n\n' +
        '  Exit code (ContainerPilot always exits 0; autopilot reports the application\'s result):\n' +
        '    The main job is, in config order: the first job with an exec and a port; else the first job started\n' +
        '    at startup that is not a preparation step (a job another job runs after, once, on its exitSuccess,\n' +
        '    like a preStart); else the first job started once after another job\'s event (not a stop hook) that\n' +
        '    is not a preparation step; else the first job with an exec.\n' +
        '    - every job completed on its own: the main job\'s last exit code (128+N if killed by signal N,\n' +
        '      127 if it could not start, 1 if it never ran);\n' +
        '    - stopped by SIGTERM/SIGINT: 0, unless the main job had already failed (not running, last exit\n' +
        '      non-zero): then that code;\n' +
        '    - `-- cmd` without a config: the command\'s own exit code; no job with an exec: 0.',
    )
    .option('--config <path>', 'Config file (path or file:// URL)')
    .option('--template', 'Render the config template and quit')
    .option('--out <file>', 'With --template: write here instead of stdout')
    .example('autopilot run --config containerpilot.json5')
    .example('autopilot run -- node server.js')
    .action(action(async (o: Opts) => (await import('./commands/run.js')).runCommand(o)));

  cli
    .command('render', 'Render consul-template templates from Consul, write changed outputs, run their commands')
    .option('--consul <address>', 'Consul agent host:port (default: $CONSUL_HTTP_ADDR or 127.0.0.1:8500)')
    .option('--template <in:out:command>', 'Template source, destination and command (repeatable)')
    .option('--once', 'Render once and exit instead of watching Consul')
    .option('--wait <min[:max]>', 'Watch mode: render after min without changes, at most max after the first (e.g. 500ms:2s); default: at once, then at most one render per 250 ms')
    .example('autopilot render --once --consul consul:8500 --template "nginx.conf.ctmpl:nginx.conf:nginx -s reload"')
    .action(action(async (o: Opts) => (await import('./commands/render.js')).renderCommand(o)));

  cli
    .command('completion [shell]', 'Print the completion script of a shell (bash, zsh or fish): commands, options, blueprints and the services of the project in the current folder')
    .example('autopilot completion bash >> ~/.bashrc')
    .example('autopilot completion zsh > ~/.zfunc/_autopilot   # ~/.zshrc: fpath+=(~/.zfunc) before compinit')
    .example('autopilot completion fish > ~/.config/fish/completions/autopilot.fish')
    .action(action(async (shell: string | undefined) => (await import('./commands/completion.js')).completionCommand(shell, cli)));

  // Listed for --help; `help <command>` is turned into `<command> --help` before parsing (usage.ts).
  cli.command('help [command]', 'Show the help of a command, as `autopilot <command> --help` does').example('autopilot help add');

  cli
    .command('version', 'Print the version and the git commit it was built from')
    .option('--containerpilot', 'Print it as `containerpilot -version` does (Version: and GitHash: lines)')
    .example('autopilot version')
    .action(
      action(async (o: Opts) => {
        process.stdout.write(o['containerpilot'] ? versionText() : bareVersionText());
      }),
    );

  cli.help();
  cli.version(VERSION, '-v, -V, --version');
  // The shells' completion scripts call this, hidden from --help, with the words being completed.
  if (rawArgv[0] === '__complete') return (await import('./commands/completion.js')).completeCommand(rawArgv.slice(1), cli);
  const { addKindHelp, commandNames, helpArgv, unknownCommand, usageError } = await import('./usage.js');
  const args = helpArgv(argv, commandNames(cli));
  const kindHelp = addKindHelp(args);
  if (kindHelp !== undefined) {
    process.stdout.write(kindHelp);
    return 0;
  }
  try {
    cli.parse(['node', 'autopilot', ...args], { run: false });
    if (!cli.matchedCommand && args.length === 0) {
      cli.outputHelp();
      return 0;
    }
    if (!cli.matchedCommand && !cli.options.help && !cli.options.version) throw unknownCommand(args[0]!, commandNames(cli));
    await cli.runMatchedCommand();
  } catch (err) {
    throw usageError(err, cli, args);
  }
  return result;
}
