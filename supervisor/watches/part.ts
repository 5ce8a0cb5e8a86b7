/**
 * Watches as a part of `autopilot run` (found by the app at `watches/part.js`): one Watch per
 * `watches[]` entry, publishing on the app's bus. A reload keeps the watches whose definition
 * is unchanged (and their state, so no spurious `changed`), stops the removed or changed ones and
 * starts the new ones. Instance counts go to telemetry.
 */
import type { AppContext, AppPart } from '../app/part-types.js';
import type { Config, ConsulConfig, WatchConfig } from '../config/model.js';
import { ConsulClient } from '../discovery/client.js';
import { resolveConsulSettings } from '../discovery/settings.js';
import { redactingLogger } from '../discovery/log.js';
import { currentTelemetry } from '../telemetry/current.js';
import { Watch, watchKey, type WatchDeps } from './watch.js';

export interface WatchesPartOptions {
  env?: Record<string, string | undefined>;
  /** Longest blocking-query wait (default 60 s). */
  waitMs?: number;
}

const identity = (w: WatchConfig) => `${watchKey(w)}|${w.intervalMs}|${w.blocking === false ? 'poll' : 'block'}`;

export class WatchesPart implements AppPart {
  private ctx: AppContext | null = null;
  private client: ConsulClient | null = null;
  private consul: ConsulConfig | undefined;
  private watches = new Map<string, Watch>();

  constructor(
    config: Config,
    private readonly opts: WatchesPartOptions = {},
  ) {
    this.consul = config.consul;
  }

  /** The running watches (control socket and telemetry status). */
  list(): Watch[] {
    return [...this.watches.values()];
  }

  start(ctx: AppContext): void {
    this.ctx = ctx;
    this.apply(ctx.config());
  }

  async reload(config: Config): Promise<void> {
    if (JSON.stringify(config.consul) !== JSON.stringify(this.consul)) {
      // Another agent: its catalog is another world, start over.
      await this.stopAll();
      this.consul = config.consul;
    }
    const wanted = new Set(config.watches.map(identity));
    const gone = [...this.watches].filter(([id]) => !wanted.has(id));
    for (const [id] of gone) this.watches.delete(id);
    await Promise.all(gone.map(([, w]) => w.stop()));
    this.apply(config);
  }

  async stop(): Promise<void> {
    await this.stopAll();
  }

  private apply(config: Config): void {
    const ctx = this.ctx;
    if (!ctx || !config.consul) return;
    if (!this.client) {
      const settings = resolveConsulSettings(config.consul, this.opts.env ?? process.env);
      this.client = new ConsulClient(settings);
    }
    const deps: WatchDeps = {
      client: this.client,
      bus: ctx.bus,
      log: redactingLogger(ctx.log, this.client.settings.token),
      waitMs: this.opts.waitMs,
      onInstances: (name, count) => currentTelemetry().recorder.watchInstances(name, count),
    };
    for (const cfg of config.watches) {
      const id = identity(cfg);
      if (this.watches.has(id)) continue;
      const w = new Watch(cfg, deps);
      this.watches.set(id, w);
      w.start();
    }
  }

  private async stopAll(): Promise<void> {
    const all = this.list();
    this.watches.clear();
    await Promise.all(all.map((w) => w.stop()));
    this.client?.close();
    this.client = null;
  }
}

/** The app's entry point: no part when the config has no `consul` (watches need it). */
export function createPart(config: Config, opts?: WatchesPartOptions): WatchesPart | undefined {
  return config.consul ? new WatchesPart(config, opts) : undefined;
}
