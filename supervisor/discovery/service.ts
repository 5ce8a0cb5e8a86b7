/**
 * One service advertised in Consul: registration with a TTL check, heartbeats, deregistration,
 * maintenance. No method throws or rejects: Consul being down is logged (with back-off) and
 * retried at the next heartbeat, so a job never stops or restarts because of Consul.
 *
 * Consul forgetting the service (agent restarted with an empty catalog, service removed by
 * hand, ...) shows up as an unknown-check answer to the heartbeat: the service is registered
 * again and the heartbeat repeated, so everything is back at the next heartbeat.
 */
import type { AgentServiceRegistration, ConsulClient } from './client.js';
import { FailureLog } from './backoff.js';
import { ConsulRequestError } from './errors.js';
import type { Logger } from './log.js';

export type CheckStatus = 'passing' | 'warning' | 'critical';

export interface ServiceDefinition {
  /** The Consul service name (the job's name). */
  name: string;
  /** `<name>-<hostname>`. */
  id: string;
  address: string;
  port: number;
  tags: string[];
  ttlMs: number;
  /** Status of the TTL check at registration; Consul's default (critical) when absent. */
  initialStatus?: CheckStatus;
  enableTagOverride: boolean;
  deregisterCriticalServiceAfter?: string;
}

export type ServiceApi = Pick<ConsulClient, 'registerService' | 'deregisterService' | 'updateTtl'>;

/** `10s`, or `1500ms` when not whole seconds (Consul accepts Go durations). */
export function ttlString(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function checkIdFor(serviceId: string): string {
  return `service:${serviceId}`;
}

/** The registration body, field for field what ContainerPilot v3 sent (plus explicit check id/name). */
export function registrationBody(def: ServiceDefinition, status: CheckStatus | undefined): AgentServiceRegistration {
  const check: NonNullable<AgentServiceRegistration['Check']> = {
    CheckID: checkIdFor(def.id),
    Name: `Service '${def.name}' check`,
    Notes: `TTL for ${def.name} set by autopilot`,
    TTL: ttlString(def.ttlMs),
  };
  if (status) check.Status = status;
  if (def.deregisterCriticalServiceAfter) check.DeregisterCriticalServiceAfter = def.deregisterCriticalServiceAfter;
  const body: AgentServiceRegistration = {
    ID: def.id,
    Name: def.name,
    Address: def.address,
    Port: def.port,
    Tags: def.tags,
    EnableTagOverride: def.enableTagOverride,
  };
  // The validator requires a ttl for a job with a port; without one, no check (always passing).
  if (def.ttlMs > 0) body.Check = check;
  return body;
}

/** True when Consul's answer means it no longer has our check (so the service is gone). */
export function isLostCheck(err: unknown): boolean {
  if (!(err instanceof ConsulRequestError)) return false;
  if (err.statusCode === 404) return true;
  // Older agents answer 500 with these texts (agent.go updateTTLCheck / check lookups).
  return err.statusCode >= 400 && /does not have associated TTL|unknown check|not found/i.test(err.body);
}

export interface ServiceState {
  id: string;
  name: string;
  address: string;
  port: number;
  registered: boolean;
  maintenance: boolean;
  lastStatus?: CheckStatus;
  /** Last Consul error text (safe to show), cleared on success. */
  lastError?: string;
}

export class ServiceRegistration {
  readonly definition: ServiceDefinition;
  private readonly api: ServiceApi;
  private readonly log: Logger;
  private readonly failures = new FailureLog();
  private chain: Promise<void> = Promise.resolve();
  private registered = false;
  private maintenance = false;
  private closed = false;
  private lastStatus: CheckStatus | undefined;
  private lastError: string | undefined;
  private queuedBeat: Promise<void> | null = null;
  private nextBeat: { status: CheckStatus; output: string } = { status: 'passing', output: 'ok' };

  constructor(def: ServiceDefinition, api: ServiceApi, log: Logger) {
    this.definition = def;
    this.api = api;
    this.log = log;
  }

  get checkId(): string {
    return checkIdFor(this.definition.id);
  }

  state(): ServiceState {
    const d = this.definition;
    return {
      id: d.id,
      name: d.name,
      address: d.address,
      port: d.port,
      registered: this.registered,
      maintenance: this.maintenance,
      lastStatus: this.lastStatus,
      lastError: this.lastError,
    };
  }

  /** Registers with the initial status. Resolves true on success; never rejects. */
  register(): Promise<boolean> {
    if (this.closed || this.maintenance) return Promise.resolve(false);
    return this.enqueue(() => this.doRegister(this.definition.initialStatus));
  }

  /** TTL pass: call on every successful health check. */
  pass(output = 'ok'): Promise<void> {
    return this.beat('passing', output);
  }

  /** TTL fail: the service turns critical at once instead of when the TTL runs out. */
  fail(output = 'failed'): Promise<void> {
    return this.beat('critical', output);
  }

  /** Removes the service; a later heartbeat registers it again (a restarted job comes back). */
  deregister(): Promise<void> {
    return this.enqueue(() => this.doDeregister()).then(() => undefined);
  }

  /** true: deregister and ignore heartbeats; false: register again. Resolves whether it changed. */
  setMaintenance(on: boolean): Promise<boolean> {
    if (this.closed || on === this.maintenance) return Promise.resolve(false);
    this.maintenance = on;
    const op = on ? () => this.doDeregister() : () => this.doRegister(this.definition.initialStatus);
    return this.enqueue(op).then(() => true);
  }

  /** Deregisters for good (shutdown): every later call is a no-op. */
  close(): Promise<void> {
    if (this.closed) return this.chain;
    const wasMaintenance = this.maintenance;
    this.closed = true;
    return this.enqueue(() => (wasMaintenance ? Promise.resolve(true) : this.doDeregister())).then(() => undefined);
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op);
    // Every op handles its own errors; the catch only keeps the chain alive if one slips.
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private beat(status: CheckStatus, output: string): Promise<void> {
    if (this.closed || this.maintenance) return Promise.resolve();
    this.nextBeat = { status, output };
    // Heartbeats queued behind a slow request collapse into one carrying the latest status.
    if (this.queuedBeat) return this.queuedBeat;
    const p = this.enqueue(async () => {
      this.queuedBeat = null;
      if (this.closed || this.maintenance) return;
      await this.sendBeat(this.nextBeat.status, this.nextBeat.output);
    });
    this.queuedBeat = p;
    return p;
  }

  private async sendBeat(status: CheckStatus, output: string): Promise<void> {
    if (!this.registered && !(await this.doRegister(status))) return;
    if (this.definition.ttlMs <= 0) return;
    try {
      await this.api.updateTtl(this.checkId, status, output);
    } catch (err) {
      if (!isLostCheck(err)) return this.failed(err);
      this.log.info(`service ${this.definition.id} is unknown to Consul: registering it again`);
      this.registered = false;
      if (!(await this.doRegister(status))) return;
      try {
        await this.api.updateTtl(this.checkId, status, output);
      } catch (err2) {
        return this.failed(err2);
      }
    }
    this.lastStatus = status;
    this.succeeded();
  }

  private async doRegister(status: CheckStatus | undefined): Promise<boolean> {
    if (this.closed && !this.registered) return false;
    try {
      await this.api.registerService(registrationBody(this.definition, status));
    } catch (err) {
      this.failed(err);
      return false;
    }
    if (!this.registered) this.log.info(`service ${this.definition.id} registered at ${this.definition.address}:${this.definition.port}`);
    this.registered = true;
    this.lastStatus = status ?? 'critical';
    this.succeeded();
    return true;
  }

  private async doDeregister(): Promise<boolean> {
    try {
      await this.api.deregisterService(this.definition.id);
    } catch (err) {
      this.failed(err);
      this.registered = false;
      return false;
    }
    this.log.info(`service ${this.definition.id} deregistered`);
    this.registered = false;
    this.succeeded();
    return true;
  }

  private failed(err: unknown): void {
    const msg = err instanceof Error ? err.message : String(err);
    this.lastError = msg;
    this.failures.failure((m) => this.log.warn(m), `service ${this.definition.id}: ${msg}`);
  }

  private succeeded(): void {
    this.lastError = undefined;
    this.failures.success((m) => this.log.info(m), `service ${this.definition.id}: Consul reachable again`);
  }
}
