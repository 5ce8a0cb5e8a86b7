/**
 * The program started under the name `containerpilot` (the binary renamed or symlinked, or a
 * symlink to the Node entry): ContainerPilot 3's command line, so an image switches by swapping
 * the binary. Its flags (core/flags.go: Go's flag package, cli/go-flags.ts), its precedence
 * (-version, -template, -reload, -maintenance, -putenv, -putmetric, -ping, else run the config),
 * `-config` defaulting to $CONTAINERPILOT, and its failures: a fatal log line in the `default`
 * format on stdout, exit 1 (main.go's log.Fatal); a flag mistake, Go's usage on stderr, exit 2.
 * The work is the same as `autopilot run` / `autopilot ctl`: the commands below are called as is.
 */
import { formatEntry } from '../supervisor/log/format.js';
import type { RunOptions } from './commands/run.js';
import { ExitError, UserError } from '../base/errors.js';
import { goUsage, parseGoFlags, type GoFlag } from './go-flags.js';
import { versionText } from '../base/version.js';
import { quietOnClosedPipe } from './closed-pipe.js';

/** flag.Value's Set of ContainerPilot's MultiFlag: `key=val`, split at the first `=`. */
const keyValue = (value: string): string | undefined => (value.includes('=') ? undefined : `flag value '${value}' was not in the format 'key=val'`);

/** ContainerPilot 3.8's flags with their usage text, as `containerpilot -help` prints them. */
export const CONTAINERPILOT_FLAGS: readonly GoFlag[] = [
  { name: 'version', kind: 'bool', usage: 'Show version identifier and quit.' },
  { name: 'template', kind: 'bool', usage: 'Render template and quit.' },
  { name: 'reload', kind: 'bool', usage: 'Reload a ContainerPilot process through its control socket.' },
  { name: 'config', kind: 'string', usage: 'File path to JSON5 configuration file. Defaults to CONTAINERPILOT env var.' },
  { name: 'out', kind: 'string', usage: "File path where to save rendered config file when '-template' is used.\n\tDefaults to stdout ('-')." },
  { name: 'maintenance', kind: 'string', usage: "Toggle maintenance mode for a ContainerPilot process through its control socket.\n\tOptions: '-maintenance enable' or '-maintenance disable'" },
  { name: 'putmetric', kind: 'value', usage: "Update metrics of a ContainerPilot process through its control socket.\n\tPass metrics in the format: 'key=value'", check: keyValue },
  { name: 'putenv', kind: 'value', usage: "Update environ of a ContainerPilot process through its control socket.\n\tPass environment in the format: 'key=value'", check: keyValue },
  { name: 'ping', kind: 'bool', usage: 'Check that the ContainerPilot control socket is up.' },
];

/** `program`: the path it was started as (Go's os.Args[0], named in the usage text). */
export async function containerpilotMain(argv: readonly string[], program: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseGoFlags(CONTAINERPILOT_FLAGS, argv);
  if (!parsed.ok) {
    quietOnClosedPipe();
    process.stderr.write(`${parsed.error !== undefined ? `${parsed.error}\n` : ''}${goUsage(program, CONTAINERPILOT_FLAGS)}`);
    return parsed.help ? 0 : 2;
  }
  const all = (name: string): readonly string[] => parsed.values.get(name) ?? [];
  const last = (name: string): string => all(name).at(-1) ?? '';
  if (last('version') === 'true') {
    quietOnClosedPipe();
    process.stdout.write(versionText());
    return 0;
  }
  try {
    return await dispatch(last, all, parsed.args, env);
  } catch (err) {
    if (err instanceof ExitError) return err.exitCode;
    if (!(err instanceof UserError)) throw err;
    // log.Fatal before the config's logging is set up: the default format, on stdout.
    quietOnClosedPipe();
    process.stdout.write(formatEntry('default', { time: new Date(), level: 'FATAL', msg: err.message }));
    return 1;
  }
}

async function dispatch(last: (name: string) => string, all: (name: string) => readonly string[], args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const config = last('config') || env['CONTAINERPILOT'] || '';
  // Every subcommand but -version loads the config (config/config.go's loadConfigFile).
  if (config === '') throw new UserError('-config flag is required');
  const ctl = async (action: string, values: string[] = []): Promise<number> => {
    quietOnClosedPipe();
    return (await import('./commands/ctl.js')).ctlCommand(action, values, { config });
  };
  // MultiFlag keeps one value per key, the last given.
  const pairs = (name: string): string[] => Object.entries(Object.fromEntries(all(name).map((kv) => kv.split(/=(.*)/s, 2)))).map(([k, v]) => `${k}=${v}`);
  const run = async (o: RunOptions): Promise<number> => (await import('./commands/run.js')).runCommand({ config, ...o }, env);
  if (last('template') === 'true') return run({ template: true, out: last('out') || undefined });
  if (last('reload') === 'true') return ctl('reload');
  if (last('maintenance') !== '') return ctl('maintenance', [last('maintenance')]);
  if (all('putenv').length > 0) return ctl('putenv', pairs('putenv'));
  if (all('putmetric').length > 0) return ctl('putmetric', pairs('putmetric'));
  if (last('ping') === 'true') return ctl('ping');
  // Arguments after the flags: with a 2.x config, its main application (as 2.x ran it, and as
  // `autopilot run` takes it); ContainerPilot 3 ignores them, and so do we, saying so.
  if (args.length > 0 && !(await import('../supervisor/config/index.js')).isV2ConfigSource(config, env)) {
    quietOnClosedPipe();
    process.stderr.write(`containerpilot: ignoring the arguments after the flags (${args.join(' ')}): a 3.x config runs its jobs only, as ContainerPilot 3 does\n`);
    return run({});
  }
  return run({ '--': args });
}
