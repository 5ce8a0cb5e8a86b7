/**
 * The supervisor's view of Consul: one client, the services of the jobs that have a `port`,
 * and the maintenance switch that covers them all.
 */
import { hostname as osHostname } from 'node:os';
import type { ConsulConfig, JobConfig, ServiceConfig } from '../config/model.js';
import { ConsulClient } from './client.js';
import { resolveInterfaceIp, type NetworkInterfacesMap } from './interfaces.js';
import { redactingLogger, stderrLogger, type Logger } from './log.js';
import { ServiceRegistration, type ServiceDefinition } from './service.js';
import { describeSettings, resolveConsulSettings } from './settings.js';
import { within } from '../timers/timers.js';

/** How long close() waits for the deregistrations by default. */
export const CLOSE_TIMEOUT_MS = 1_000;

export interface DiscoveryOptions {
  /** The config's `consul` (model or raw string); env fills in / overrides per ContainerPilot. */
  consul: ConsulConfig | string | undefined;
  env?: Record<string, string | undefined>;
  log?: Logger;
  /** Defaults to os.hostname(); service IDs are `<name>-<hostname>`. */
  hostname?: string;
  /** Interface table for address resolution (tests); defaults to os.networkInterfaces(). */
  networkInterfaces?: NetworkInterfacesMap;
  requestTimeoutMs?: number;
}

/** What a service needs besides its name, so telemetry can advertise itself too. */
export type ServiceSpec = Pick<ServiceConfig, 'port' | 'interfaces' | 'tags' | 'initialStatus' | 'enableTagOverride' | 'deregisterCriticalServiceAfter'> & {
  ttlMs: number;
};

export class Discovery {
  readonly client: ConsulClient;
  readonly log: Logger;
  private readonly hostname: string;
  private readonly nics: NetworkInterfacesMap | undefined;
  private readonly services = new Map<string, ServiceRegistration>();
  private maintenance = false;

  constructor(opts: DiscoveryOptions) {
    const settings = resolveConsulSettings(opts.consul, opts.env ?? process.env);
    this.log = redactingLogger(opts.log ?? stderrLogger, settings.token);
    this.client = new ConsulClient(settings, { requestTimeoutMs: opts.requestTimeoutMs });
    this.hostname = opts.hostname ?? osHostname();
    this.nics = opts.networkInterfaces;
  }

  /** `http://host:port` of the agent (no token). */
  get agent(): string {
    return describeSettings(this.client.settings);
  }

  get inMaintenance(): boolean {
    return this.maintenance;
  }

  /** The registration of a job with a `port` (created once, reused on later calls); undefined
   * for jobs without. Throws InterfaceError when `interfaces` matches no address: report it as a
   * config error at startup. */
  forJob(job: JobConfig): ServiceRegistration | undefined {
    if (!job.service) return undefined;
    const ttlMs = job.health?.ttlMs ?? 0;
    return this.addService(job.name, { ...job.service, ttlMs });
  }

  /** Advertises any named service (telemetry registers `containerpilot` this way). Called again
   * with the same name (config reload): the same registration when nothing changed; otherwise
   * the old one is deregistered first and a new one takes its place. */
  addService(name: string, spec: ServiceSpec): ServiceRegistration {
    const def: ServiceDefinition = {
      name,
      id: `${name}-${this.hostname}`,
      address: resolveInterfaceIp(spec.interfaces, this.nics),
      port: spec.port,
      tags: spec.tags,
      ttlMs: spec.ttlMs,
      initialStatus: spec.initialStatus,
      enableTagOverride: spec.enableTagOverride,
      deregisterCriticalServiceAfter: spec.deregisterCriticalServiceAfter,
    };
    const existing = this.services.get(name);
    if (existing && JSON.stringify(existing.definition) === JSON.stringify(def)) return existing;
    const reg = new ServiceRegistration(def, this.client, this.log, existing?.close());
    this.services.set(name, reg);
    // A service created during maintenance stays out of Consul until maintenance ends.
    if (this.maintenance) void reg.setMaintenance(true);
    return reg;
  }

  /** Deregisters a service for good and forgets it (its job was removed by a reload). */
  async removeService(name: string): Promise<void> {
    const reg = this.services.get(name);
    this.services.delete(name);
    await reg?.close();
  }

  service(name: string): ServiceRegistration | undefined {
    return this.services.get(name);
  }

  all(): ServiceRegistration[] {
    return [...this.services.values()];
  }

  /** Enter (true) or leave (false) maintenance for every service. Idempotent: resolves false
   * when already in that state, true when it changed (the app then emits enterMaintenance /
   * exitMaintenance). Never rejects. */
  async setMaintenance(on: boolean): Promise<boolean> {
    if (on === this.maintenance) return false;
    this.maintenance = on;
    this.log.info(on ? 'entering maintenance: deregistering services' : 'leaving maintenance: registering services');
    await Promise.all(this.all().map((s) => s.setMaintenance(on)));
    return true;
  }

  /** Shutdown: deregisters every service (waiting at most `CLOSE_TIMEOUT_MS`: an agent that
   * hangs must not hold the stop), then releases the connection pool, which ends what is still
   * in flight. */
  async close(waitMs = CLOSE_TIMEOUT_MS): Promise<void> {
    const closed = Promise.all(this.all().map((s) => s.close()));
    if (!(await within(closed, waitMs))) this.log.warn(`Consul did not answer the deregistrations within ${waitMs}ms; leaving them to the TTL`);
    this.client.close();
  }
}
