/**
 * ContainerPilot is driven by single-dash long flags (`containerpilot -config f`, `-reload`,
 * `-putenv K=V`, `-version`). cac (like most parsers) reads `-config` as the short flags
 * c,o,n,f,i,g, so we rewrite them to `--config` and pick the subcommand ContainerPilot implied.
 */
const LEGACY_FLAGS = new Set(['config', 'template', 'out', 'reload', 'ping', 'putenv', 'putmetric', 'maintenance', 'version']);
const CONTROL_FLAGS = ['reload', 'ping', 'putenv', 'putmetric', 'maintenance'] as const;
export const SUBCOMMANDS = new Set(['new', 'add', 'run', 'validate', 'migrate', 'render', 'status', 'ctl', 'version', 'help']);

export function translateLegacyArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const arg of argv) {
    if (passthrough || arg === '--') {
      passthrough = true;
      out.push(arg);
      continue;
    }
    const m = /^-([a-z]+)(=.*)?$/.exec(arg);
    out.push(m && LEGACY_FLAGS.has(m[1]!) ? `--${m[1]}${m[2] ?? ''}` : arg);
  }
  const first = out[0];
  if (first !== undefined && SUBCOMMANDS.has(first)) return out;
  if (first === '--version' || first === '-v') return ['version', ...out.slice(1)];
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
