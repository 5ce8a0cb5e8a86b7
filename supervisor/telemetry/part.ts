/**
 * Telemetry as a part of `autopilot run` (found by the app at `telemetry/part.js`): installs the
 * current Telemetry, counts bus events, and serves `/metrics` and `/status` on the address
 * resolved from `telemetry.interfaces`. A reload that changes the `telemetry` block replaces the
 * instance (ContainerPilot re-registers its metrics on reload too). Failing to listen is logged
 * and the supervisor runs on without the endpoint. The prom-client-backed `Telemetry` (index.ts)
 * is imported only when a `telemetry` block asks for it: without one, a start loads none of it.
 */
import type { AppContext, AppPart } from '../app/part-types.js';
import type { Config, TelemetryConfig } from '../config/model.js';
import { buildStatus, followMaintenance } from '../status/snapshot.js';
import { resolveInterfaceIp } from '../discovery/interfaces.js';
import { VERSION } from '../../base/version.js';
import { setCurrentTelemetry } from './current.js';
import type { Telemetry } from './index.js';

/** The prom-client-backed implementation, once imported (a literal specifier, so bundlers include it). */
let implementation: typeof import('./index.js') | undefined;
async function loadImplementation(): Promise<typeof import('./index.js')> {
  return (implementation ??= await import('./index.js'));
}

export class TelemetryPart implements AppPart {
  private ctx: AppContext | null = null;
  private telemetry: Telemetry | null = null;
  private unsubscribe: (() => void) | null = null;
  private maintenance: ReturnType<typeof followMaintenance> | null = null;

  /** The instance serving now (null when the config has no telemetry). */
  get current(): Telemetry | null {
    return this.telemetry;
  }

  async start(ctx: AppContext): Promise<void> {
    this.ctx = ctx;
    this.maintenance = followMaintenance(ctx.bus);
    this.unsubscribe = ctx.bus.subscribe((e) => this.telemetry?.recorder.event(e.code, e.source));
    await this.apply(ctx.config().telemetry);
  }

  async reload(config: Config): Promise<void> {
    if (JSON.stringify(config.telemetry) === JSON.stringify(this.telemetry?.config)) return;
    await this.apply(config.telemetry);
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.maintenance?.stop();
    await this.telemetry?.stop();
    this.telemetry = null;
    setCurrentTelemetry(null);
  }

  private async apply(cfg: TelemetryConfig | undefined): Promise<void> {
    const ctx = this.ctx!;
    await this.telemetry?.stop();
    this.telemetry = null;
    setCurrentTelemetry(null);
    if (!cfg) return;
    let t: Telemetry;
    try {
      // Loaded already by createPart when the config had telemetry at start, so the instance is
      // installed as soon as before; a reload that adds telemetry loads it here.
      const { Telemetry } = implementation ?? (await loadImplementation());
      t = new Telemetry(cfg, VERSION);
    } catch (err) {
      ctx.log.error(`telemetry: ${(err as Error).message}`);
      return;
    }
    this.telemetry = t;
    setCurrentTelemetry(t);
    try {
      const address = resolveInterfaceIp(cfg.interfaces);
      await t.start({ address, status: () => buildStatus(ctx, this.maintenance?.on ?? false, VERSION) });
      ctx.log.debug(`telemetry: serving at ${address}:${cfg.port}`);
    } catch (err) {
      const msg = (err as Error).message;
      ctx.log.error(`${msg.startsWith('telemetry:') ? msg : `telemetry: ${msg}`}; /metrics is not served`);
    }
  }
}

export async function createPart(config: Config): Promise<AppPart> {
  if (config.telemetry) await loadImplementation();
  return new TelemetryPart();
}
