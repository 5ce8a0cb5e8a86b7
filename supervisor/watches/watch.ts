/**
 * A watch of a Consul service (passing instances, optionally by tag and datacenter) or, as an
 * extension, of a KV key or prefix. Publishes `changed` (and, for services, `healthy` /
 * `unhealthy`) from source `watch.<name>`.
 */
import type { WatchConfig } from '../config/model.js';
import type { Backoff } from '../discovery/retry-backoff.js';
import type { ConsulClient } from '../discovery/client.js';
import type { Logger } from '../discovery/log.js';
import type { SupervisorEvent } from '../events/bus.js';
import { runQueryLoop } from './loop.js';
import { instancesFromEntries, kvSnapshot, sameKv, serviceEvents, type Instance, type KvSnapshot } from './state.js';

export type WatchQueries = Pick<ConsulClient, 'healthService' | 'kvGet'>;

export interface Publisher {
  publish(e: SupervisorEvent): void;
}

export interface WatchDeps {
  client: WatchQueries;
  bus: Publisher;
  log: Logger;
  /** How long Consul may hold a blocking query (default 60 s). */
  waitMs?: number;
  /** Back-off after failed queries (tests shorten it). */
  backoff?: () => Backoff;
  /** Told the number of passing instances after every service answer (telemetry). */
  onInstances?: (watch: string, count: number) => void;
}

/** name+service+tag+dc (or name+key): two watches of one service with different tags or
 * datacenters are distinct, unlike ContainerPilot which keyed its state by service name. */
export function watchKey(cfg: WatchConfig): string {
  const t = cfg.target;
  return t.kind === 'service' ? `${cfg.name}|service:${t.service}|${t.tag ?? ''}|${t.dc ?? ''}` : `${cfg.name}|kv:${t.key}|${t.prefix ? 'prefix' : ''}|${t.dc ?? ''}`;
}

export class Watch {
  readonly config: WatchConfig;
  readonly source: string;
  readonly key: string;
  private readonly deps: WatchDeps;
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;
  private current: Instance[] = [];
  private kv: KvSnapshot = new Map();
  private seen = false;

  constructor(config: WatchConfig, deps: WatchDeps) {
    this.config = config;
    this.source = `watch.${config.name}`;
    this.key = watchKey(config);
    this.deps = deps;
  }

  get name(): string {
    return this.config.name;
  }

  /** Passing instances as last seen (empty for KV watches and before the first answer). */
  instances(): Instance[] {
    return this.current.map((i) => ({ ...i }));
  }

  /** KV values as last seen (key -> value; null for a key without a value). */
  values(): Record<string, string | null> {
    return Object.fromEntries(this.kv);
  }

  /** True once Consul answered at least once. */
  get ready(): boolean {
    return this.seen;
  }

  start(): void {
    if (this.running) return;
    const controller = new AbortController();
    this.controller = controller;
    const { client, log } = this.deps;
    const t = this.config.target;
    const waitMs = this.deps.waitMs ?? 60_000;
    const common = { label: this.source, intervalMs: this.config.intervalMs, blocking: this.config.blocking !== false, signal: controller.signal, log, backoff: this.deps.backoff?.() };
    this.running =
      t.kind === 'service'
        ? runQueryLoop({
            ...common,
            query: (index, signal) => client.healthService({ service: t.service, tag: t.tag, dc: t.dc }, { index, waitMs, signal }),
            onData: (entries) => this.onInstances(instancesFromEntries(entries)),
          })
        : runQueryLoop({
            ...common,
            query: (index, signal) => client.kvGet({ key: t.key, recurse: t.prefix, dc: t.dc }, { index, waitMs, signal }),
            onData: (entries) => this.onKv(kvSnapshot(entries)),
          });
    // The loop handles its own errors; this only keeps a bug from becoming an unhandled rejection.
    this.running = this.running.catch((err: unknown) => log.error(`${this.source}: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** Aborts the in-flight query and resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.controller?.abort();
    const r = this.running;
    this.running = null;
    this.controller = null;
    await r;
  }

  private onInstances(next: Instance[]): void {
    this.seen = true;
    const codes = serviceEvents(this.current, next);
    this.current = next;
    this.deps.onInstances?.(this.name, next.length);
    for (const code of codes) this.deps.bus.publish({ code, source: this.source });
  }

  private onKv(next: KvSnapshot): void {
    this.seen = true;
    const changed = !sameKv(this.kv, next);
    this.kv = next;
    if (changed) this.deps.bus.publish({ code: 'changed', source: this.source });
  }
}
