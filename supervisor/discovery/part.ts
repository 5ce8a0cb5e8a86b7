/**
 * Discovery as a part of `autopilot run` (found by the app at `discovery/part.js`):
 * - each job with a `port` gets hooks: start registers it when it has `initial_status`, every
 *   passing health check is a TTL heartbeat (which registers it if needed; HeartbeatPacer skips
 *   the ones the TTL does not need), stop deregisters.
 *   A failed check sends nothing: the TTL runs out, as in ContainerPilot;
 * - `enterMaintenance` / `exitMaintenance` from `global` switch every service's maintenance;
 * - the telemetry endpoint is advertised as `containerpilot` (TTL 15 s, heartbeat 5 s) while it
 *   listens;
 * - CONTAINERPILOT_<JOB>_IP is set in our environment, which every child inherits.
 * Nothing here throws into the app or a job: Consul problems are logged.
 */
import type { AppContext, DiscoveryPart as AppDiscoveryPart } from '../app/part-types.js';
import type { Config, ConsulConfig, JobConfig } from '../config/model.js';
import { STOP_HOOK_TIMEOUT_MS, type JobHooks } from '../jobs/types.js';
import { currentTelemetry } from '../telemetry/current.js';
import { Discovery } from './discovery.js';
import { ipEnvName } from './env.js';
import { HeartbeatPacer } from './heartbeat-pacer.js';
import { resolveInterfaceIp } from './interfaces.js';
import type { ServiceRegistration } from './service.js';
import { every as everyMs, within, type Timer } from '../timers/timers.js';

const TELEMETRY_SERVICE = 'containerpilot';

export interface DiscoveryPartOptions {
  env?: Record<string, string | undefined>;
  hostname?: string;
  /** How often the telemetry service is heartbeated (ContainerPilot: 5 s). */
  telemetryHeartbeatMs?: number;
}

export class DiscoveryPart implements AppDiscoveryPart {
  private ctx: AppContext | null = null;
  private discovery: Discovery | null = null;
  private consul: ConsulConfig | undefined;
  private unsubscribe: (() => void) | null = null;
  private telemetryTimer: Timer | undefined;
  private readonly badInterfaces = new Set<string>();
  /** A job's deregistration went unanswered in its stop: the final close does not wait again. */
  private consulUnanswered = false;
  /** Bumped when the Discovery is replaced, so hooks look their registration up again. */
  private generation = 0;

  constructor(
    config: Config,
    private readonly opts: DiscoveryPartOptions = {},
  ) {
    this.consul = config.consul;
  }

  /** The current Discovery (status, tests); null before start and after stop. */
  get current(): Discovery | null {
    return this.discovery;
  }

  start(ctx: AppContext): void {
    this.ctx = ctx;
    this.discovery = this.create(this.consul);
    this.exportAddresses(ctx.config().jobs);
    this.unsubscribe = ctx.bus.subscribe((e) => {
      if (e.source !== 'global' || (e.code !== 'enterMaintenance' && e.code !== 'exitMaintenance')) return;
      void this.discovery?.setMaintenance(e.code === 'enterMaintenance');
    });
    const every = this.opts.telemetryHeartbeatMs ?? currentTelemetry().service()?.heartbeatMs ?? 5_000;
    this.telemetryTimer = everyMs(every, () => this.telemetryHeartbeat()).unref();
  }

  hooksFor(job: JobConfig): JobHooks | undefined {
    if (!job.service) return undefined;
    // Each job keeps the registration made for its own config: a reload that replaces the job
    // gives the new one its own, and the old one's stop cannot touch it.
    let cached: { generation: number; reg: ServiceRegistration | undefined } | undefined;
    const reg = () => {
      if (cached?.generation !== this.generation) cached = { generation: this.generation, reg: this.registration(job) };
      return cached.reg;
    };
    const pacer = new HeartbeatPacer(job.health?.ttlMs ?? 0);
    return {
      onStart: () => {
        if (job.service?.initialStatus) void reg()?.register();
      },
      onHealthCheck: (_job, passed) => {
        if (!passed) return;
        const r = reg();
        if (r && pacer.due(performance.now(), r.state())) void r.pass('ok');
      },
      onStop: async () => {
        const done = reg()?.deregister();
        if (!done) return;
        void within(done, STOP_HOOK_TIMEOUT_MS).then((answered) => (this.consulUnanswered ||= !answered));
        await done;
      },
    };
  }

  async reload(config: Config): Promise<void> {
    this.exportAddresses(config.jobs);
    if (JSON.stringify(config.consul) === JSON.stringify(this.consul)) return;
    // Another agent or token: leave the old one cleanly, then advertise through the new one.
    // (Closing first: with the same agent and a new token, the IDs are the same.)
    const old = this.discovery;
    const maintenance = old?.inMaintenance ?? false;
    await old?.close();
    this.consul = config.consul;
    this.discovery = this.create(config.consul);
    this.generation++;
    if (maintenance) await this.discovery?.setMaintenance(true);
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.telemetryTimer?.clear();
    const d = this.discovery;
    this.discovery = null;
    await d?.close(this.consulUnanswered ? 0 : undefined);
  }

  private create(consul: ConsulConfig | undefined): Discovery | null {
    if (!consul || !this.ctx) return null;
    return new Discovery({ consul, env: this.opts.env ?? process.env, log: this.ctx.log, hostname: this.opts.hostname });
  }

  private registration(job: JobConfig): ServiceRegistration | undefined {
    if (!this.discovery) return undefined;
    try {
      return this.discovery.forJob(job);
    } catch (err) {
      // Reported once per job: the job runs on, unadvertised.
      if (!this.badInterfaces.has(job.name)) this.ctx?.log.error(`job ${job.name} is not advertised: ${(err as Error).message}`);
      this.badInterfaces.add(job.name);
      return undefined;
    }
  }

  private exportAddresses(jobs: readonly JobConfig[]): void {
    for (const job of jobs) {
      if (!job.service) continue;
      try {
        process.env[ipEnvName(job.name)] = resolveInterfaceIp(job.service.interfaces);
      } catch {
        // Reported by registration() when the job is advertised.
      }
    }
  }

  private telemetryHeartbeat(): void {
    const svc = currentTelemetry().service();
    if (!this.discovery) return;
    if (!svc) {
      // Telemetry switched off by a reload: take its advertisement down too.
      if (this.discovery.service(TELEMETRY_SERVICE)) void this.discovery.removeService(TELEMETRY_SERVICE);
      return;
    }
    if (!svc.isHealthy()) return;
    try {
      const reg = this.discovery.addService(svc.name, { port: svc.port, interfaces: svc.interfaces, tags: svc.tags, ttlMs: svc.ttlMs, enableTagOverride: false });
      void reg.pass('ok');
    } catch (err) {
      if (!this.badInterfaces.has(svc.name)) this.ctx?.log.error(`telemetry is not advertised: ${(err as Error).message}`);
      this.badInterfaces.add(svc.name);
    }
  }
}

/** The app's entry point: no part when the config has no `consul`. */
export function createPart(config: Config, opts?: DiscoveryPartOptions): DiscoveryPart | undefined {
  return config.consul ? new DiscoveryPart(config, opts) : undefined;
}
