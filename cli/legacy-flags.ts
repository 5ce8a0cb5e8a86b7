/**
 * ContainerPilot is driven by single-dash long flags (`containerpilot -config f`, `-reload`,
 * `-putenv K=V`, `-version`). cac (like most parsers) reads `-config` as the short flags
 * c,o,n,f,i,g, so we rewrite them to `--config` and pick the subcommand ContainerPilot implied.
 */
const LEGACY_FLAGS = new Set(['config', 'consul', 'once', 'template', 'out', 'reload', 'ping', 'putenv', 'putmetric', 'maintenance', 'version', 'wait']);
const CONTROL_FLAGS = ['reload', 'ping', 'putenv', 'putmetric', 'maintenance'] as const;
const VALUE_CONTROL_FLAGS = new Set(['putenv', 'putmetric', 'maintenance']);
const BOOL_CONTROL_FLAGS = new Set(['reload', 'ping']);
export const SUBCOMMANDS = new Set(['new', 'add', 'run', 'validate', 'migrate', 'render', 'status', 'health', 'ctl', 'version', 'help', 'completion']);

export function translateLegacyArgv(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  // ContainerPilot 2.x images run `CMD containerpilot node app.js` with the config in
  // $CONTAINERPILOT: with that set, a first argument that is no command or flag is the application.
  const word = argv[0];
  if (env.CONTAINERPILOT && word !== undefined && !word.startsWith('-') && !SUBCOMMANDS.has(word)) return ['run', '--', ...argv];
  // ContainerPilot 2.x: `containerpilot -config f app args`: Go's flag parsing stops at the
  // first argument that is not a flag, and the rest is the application (`run ... -- app args`).
  const app = appStart(argv);
  if (app > 0) {
    const head = translateLegacyArgv(argv.slice(0, app), env);
    if (head[0] === 'run' && !head.includes('--')) return [...head, '--', ...argv.slice(app)];
  }
  const out: string[] = [];
  let passthrough = false;
  // Single-dash `-version` is ContainerPilot's, and scripts parse its `Version:`/`GitHash:` lines.
  let goVersionFlag = false;
  for (const arg of argv) {
    if (passthrough || arg === '--') {
      passthrough = true;
      out.push(arg);
      continue;
    }
    const m = /^--?([a-z]+)(?:=(.*))?$/.exec(arg);
    if (/^-version(=true)?$/.test(arg)) goVersionFlag = true;
    if (!m || !LEGACY_FLAGS.has(m[1]!)) {
      out.push(arg);
    } else if (m[2] !== undefined && VALUE_CONTROL_FLAGS.has(m[1]!)) {
      // Go's flag package accepts `-putenv=K=V`; the control commands take the value as an argument.
      out.push(`--${m[1]}`, m[2]);
    } else if (m[2] !== undefined && BOOL_CONTROL_FLAGS.has(m[1]!)) {
      out.push(`--${m[1]}`); // `-reload=true`
    } else {
      out.push(`--${m[1]}${m[2] !== undefined ? `=${m[2]}` : ''}`);
    }
  }
  const first = out[0];
  if (first !== undefined && SUBCOMMANDS.has(first)) return out;
  // ContainerPilot answers -version before anything else on its command line.
  if (goVersionFlag) return ['version', '--containerpilot'];
  if (first === '--version' || first === '-v' || first === '-V') return ['version', ...out.slice(1)];
  // `containerpilot -reload`, `-putenv K=V`, `-maintenance enable`: control-plane calls.
  for (const flag of CONTROL_FLAGS) {
    const i = out.indexOf(`--${flag}`);
    if (i >= 0) {
      const rest = [...out.slice(0, i), ...out.slice(i + 1)];
      return ['ctl', flag, ...rest];
    }
  }
  if (out.some((a) => a === '--config' || a.startsWith('--config=') || a === '--template')) return ['run', ...out];
  return out;
}

/** Index of the first non-flag argument of a subcommand-less argv (flags `-config`/`-out` take a value); -1 if none. */
function appStart(argv: readonly string[]): number {
  if (argv[0] === undefined || !argv[0].startsWith('-')) return -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return -1;
    if (!a.startsWith('-')) return i;
    if (/^--?(config|out)$/.test(a)) i++;
  }
  return -1;
}
