/**
 * Which socket a client talks to: `--socket`, else `control.socket` from the config given by
 * `--config` or $CONTAINERPILOT (as ContainerPilot's subcommands do), else the default path.
 * The config loader is imported only when a config must be read.
 */
export const DEFAULT_SOCKET_PATH = '/var/run/containerpilot.socket';

export async function locateControlSocket(opts: { socket?: string; config?: string; env?: Record<string, string | undefined> }): Promise<string> {
  if (opts.socket) return opts.socket;
  const env = opts.env ?? process.env;
  const config = opts.config || env['CONTAINERPILOT'];
  if (!config) return DEFAULT_SOCKET_PATH;
  const { loadConfigFile } = await import('../config/index.js');
  return loadConfigFile(config, env).control.socket;
}
