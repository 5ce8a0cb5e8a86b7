/**
 * The control socket as a part of `autopilot run` (found by the app at `control/part.js`).
 * - putenv sets our own environment, which every job spawned afterwards inherits (ContainerPilot).
 * - reload asks the app to re-read the config; a bad config answers 422 with the config error.
 * - putmetric goes to the telemetry instance; maintenance is published on the bus as
 *   `enterMaintenance` / `exitMaintenance` from `global` when the state changes (a repeated
 *   enable or disable is a no-op).
 * A socket taken by another live supervisor (or not creatable) is logged as an error and the
 * supervisor runs on without a control plane: its jobs matter more than its remote control.
 */
import type { AppContext, AppPart } from '../app/part-types.js';
import type { Config } from '../config/model.js';
import { currentTelemetry } from '../telemetry/current.js';
import { VERSION } from '../../base/version.js';
import { RejectedRequest } from '../../base/errors.js';
import type { ControlHandlers } from './handlers.js';
import { startControlServer, type ControlServer } from './server.js';
import { buildStatus, followMaintenance, type StatusContext } from '../status/snapshot.js';
import { sleep } from '../timers/timers.js';

export class ControlPart implements AppPart {
  private server: ControlServer | null = null;
  private ctx: StatusContext | null = null;
  private maintenance: ReturnType<typeof followMaintenance> | null = null;
  /** The last state asked for (the bus delivers the event later, so `maintenance.on` may lag). */
  private maintenanceRequested = false;
  private moving: Promise<void> = Promise.resolve();

  async start(ctx: AppContext): Promise<void> {
    this.ctx = ctx;
    this.maintenance = followMaintenance(ctx.bus);
    await this.listen(ctx.config().control.socket);
  }

  /** A new socket path: move after the current request (often this very reload) has been answered. */
  reload(config: Config): void {
    if (config.control.socket === this.server?.socketPath) return;
    this.moving = this.moving.then(async () => {
      await sleep(0);
      await this.server?.stop();
      this.server = null;
      await this.listen(config.control.socket);
    });
  }

  async stop(): Promise<void> {
    await this.moving;
    await this.server?.stop();
    this.server = null;
    this.maintenance?.stop();
  }

  /** Resolves with the socket path being served, or null. */
  get socketPath(): string | null {
    return this.server?.socketPath ?? null;
  }

  private async listen(socketPath: string): Promise<void> {
    const ctx = this.ctx!;
    try {
      this.server = await startControlServer({
        socketPath,
        handlers: this.handlers(ctx),
        onRequest: (path, status) => currentTelemetry().recorder.controlRequest(path, status),
        log: (level, message) => (level === 'error' ? ctx.log.error(message) : level === 'warn' ? ctx.log.warn(message) : ctx.log.debug(message)),
      });
      ctx.log.debug(`control: serving at ${socketPath}`);
    } catch (err) {
      ctx.log.error(`control: ${(err as Error).message}; the control plane is off`);
    }
  }

  private handlers(ctx: StatusContext): ControlHandlers {
    return {
      putEnv: (vars) => {
        for (const [k, v] of Object.entries(vars)) process.env[k] = v;
      },
      reload: async () => {
        try {
          await ctx.reload();
        } catch (err) {
          throw new RejectedRequest(`reload failed: ${(err as Error).message}`);
        }
      },
      putMetric: (values) => currentTelemetry().putMetrics(values),
      setMaintenance: (on) => {
        // Idempotent: a second enable (or disable) in a row changes nothing and emits nothing.
        if (on === this.maintenanceRequested) return;
        this.maintenanceRequested = on;
        ctx.bus.publish({ code: on ? 'enterMaintenance' : 'exitMaintenance', source: 'global' });
      },
      status: () => buildStatus(ctx, this.maintenance?.on ?? false, VERSION),
    };
  }
}

export function createPart(_config: Config): AppPart {
  return new ControlPart();
}
