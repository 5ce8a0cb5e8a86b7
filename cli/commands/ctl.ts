/**
 * `autopilot ctl reload|ping|putenv K=V...|putmetric name=value...|maintenance enable|disable`:
 * one request to a running supervisor's control socket. ContainerPilot's `-reload`, `-putenv`, ...
 * arrive here rewritten by legacy-flags.ts; repeated `-putenv`/`-putmetric` flags come as options.
 */
import { ControlClient } from '../../supervisor/control/client.js';
import { ControlRequestError, ControlUnreachableError } from '../../supervisor/control/errors.js';
import { locateControlSocket } from '../../supervisor/control/locate.js';
import { ConfigError } from '../../supervisor/config/errors.js';
import { UserError } from '../../base/errors.js';

type Opts = Record<string, unknown>;
const ACTIONS = 'reload, ping, putenv K=V..., putmetric name=value..., maintenance enable|disable';

function strings(v: unknown): string[] {
  if (v === undefined || v === null || v === false) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function pairs(items: string[], what: string, example: string): Array<[string, string]> {
  if (items.length === 0) throw new UserError(`${what}: give at least one ${example}`);
  return items.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`${what}: "${item}" is not ${example}`);
    return [item.slice(0, eq), item.slice(eq + 1)];
  });
}

/** Finds the socket from --socket, --config or $CONTAINERPILOT; config problems are user errors. */
export async function socketFromOptions(o: Opts): Promise<string> {
  try {
    return await locateControlSocket({ socket: strings(o['socket']).at(-1), config: strings(o['config']).at(-1) });
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  }
}

/** Runs a client call; an unreachable socket or a refused request is a one-line error, exit 1. */
export async function withControl<T>(o: Opts, fn: (client: ControlClient) => Promise<T>): Promise<T> {
  const client = new ControlClient(await socketFromOptions(o));
  try {
    return await fn(client);
  } catch (err) {
    if (err instanceof ControlUnreachableError) throw new UserError(err.message, 1);
    if (err instanceof ControlRequestError) throw new UserError(`control socket ${client.socketPath}: ${err.message}`, 1);
    throw err;
  }
}

export async function ctlCommand(action: string | undefined, args: string[] = [], o: Opts = {}): Promise<number> {
  switch (action) {
    case 'reload':
      await withControl(o, (c) => c.reload());
      return 0;
    case 'ping':
      await withControl(o, (c) => c.ping());
      process.stdout.write('ok\n');
      return 0;
    case 'putenv': {
      const vars = Object.fromEntries(pairs([...args, ...strings(o['putenv'])], 'putenv', 'KEY=value'));
      await withControl(o, (c) => c.putEnv(vars));
      return 0;
    }
    case 'putmetric': {
      const values: Record<string, number> = {};
      for (const [name, raw] of pairs([...args, ...strings(o['putmetric'])], 'putmetric', 'name=number')) {
        const value = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(value)) throw new UserError(`putmetric: value of ${name} must be a number, got "${raw}"`);
        values[name] = value;
      }
      await withControl(o, (c) => c.putMetric(values));
      return 0;
    }
    case 'maintenance': {
      const mode = args[0];
      if (args.length !== 1 || (mode !== 'enable' && mode !== 'disable')) {
        throw new UserError(`maintenance: expected "enable" or "disable", got ${args.length ? `"${args.join(' ')}"` : 'nothing'}`);
      }
      await withControl(o, (c) => c.setMaintenance(mode === 'enable'));
      return 0;
    }
    default:
      throw new UserError(`ctl: unknown action ${action === undefined ? '(none)' : `"${action}"`}; expected one of: ${ACTIONS}`);
  }
}
