/**
 * Which socket a client talks to: `--socket`, else `control.socket` from the config given by
 * `--config` or $CONTAINERPILOT (as ContainerPilot's subcommands do), else the default path.
 */
import { loadConfigFile } from '../config/index.js';

export const DEFAULT_SOCKET_PATH = '/var/run/containerpilot.socket';

export function locateControlSocket(opts: { socket?: string; config?: string; env?: Record<string, string | undefined> }): string {
  if (opts.socket) return opts.socket;
  const env = opts.env ?? process.env;
  const config = opts.config || env['CONTAINERPILOT'];
  if (config) return loadConfigFile(config, env).control.socket;
  return DEFAULT_SOCKET_PATH;
}
