/**
 * `autopilot run [--config path] [--template] [--out file] [-- cmd...]`: the supervisor.
 * Translates flags into calls; the work is in supervisor/app.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileUrlPath } from '../../base/file-url.js';
import { readFailure } from '../../base/os-errors.js';
import { after } from '../../supervisor/timers/timers.js';
import { UserError } from '../../base/errors.js';
import { daemonJit } from '../jit-policy.js';
import { quietOnClosedPipe } from '../closed-pipe.js';
import { startHeapProbe } from './heap-probe.js';

export interface RunOptions {
  config?: string;
  template?: boolean;
  out?: string;
  '--'?: string[];
}

export async function runCommand(o: RunOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  daemonJit(env);
  const { ConfigError, isV2ConfigSource, loadConfigFile, renderConfigText } = await import('../../supervisor/config/index.js');
  const command = (o['--'] ?? []).map(String);
  const explicit = typeof o.config === 'string' && o.config !== '' ? o.config : undefined;
  const source = explicit ?? env['CONTAINERPILOT'];

  const asUserError = (err: unknown): never => {
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  };

  if (o.template) {
    if (!source) throw new UserError('--template needs a config: pass --config <file> or set CONTAINERPILOT');
    const path = toPath(source);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UserError(readFailure('config', path, err));
    }
    let rendered = '';
    try {
      rendered = renderConfigText(text, { file: path, env });
    } catch (err) {
      asUserError(err);
    }
    writeOut(o.out, rendered);
    return 0;
  }

  if (!source && command.length === 0) {
    throw new UserError('nothing to run: pass --config <file>, set CONTAINERPILOT, or give a command after -- (autopilot run -- node server.js)');
  }

  const { App, initModeConfig, loadParts } = await import('../../supervisor/app/index.js');
  const { mainJobName } = await import('../../supervisor/jobs/main-job.js');
  // ContainerPilot 2.x ran the command after its flags as the main application: with a 2.x
  // config (from --config, or $CONTAINERPILOT) the command joins it. A 3.x --config refuses one
  // (the loader says why); with only $CONTAINERPILOT naming a 3.x config, the command runs alone.
  const attach = command.length > 0 && (explicit !== undefined || isV2ConfigSource(source!, env));
  const initMode = command.length > 0 && !attach;
  let app: InstanceType<typeof App>;
  if (initMode) {
    app = new App({ config: initModeConfig(command), initMode: true, killLeftovers: true });
  } else {
    const load = () => loadConfigFile(source!, env, attach ? command : undefined);
    let config!: ReturnType<typeof load>;
    try {
      config = load();
    } catch (err) {
      asUserError(err);
    }
    // As in ContainerPilot 2.x, the supervisor ends with the command given after `--`.
    const exitWithJob = attach ? mainJobName(config.jobs) : undefined;
    app = new App({ config, loadConfig: load, parts: await loadParts(config), exitWithJob, killLeftovers: true });
  }
  startHeapProbe(env);
  const code = await app.run();
  // Exit now even if some handle (a grandchild's pipe, a part's socket) would keep us alive.
  after(200, () => process.exit(code)).unref();
  return code;
}

function toPath(source: string): string {
  return source.startsWith('file://') ? fileUrlPath(source) : source;
}

/** `--out` is a path or file:// URL; `-` or none is stdout. Written atomically. */
function writeOut(out: string | undefined, text: string): void {
  if (!out || out === '-') {
    quietOnClosedPipe();
    process.stdout.write(text);
    return;
  }
  const path = toPath(out);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    throw new UserError(`${path}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
