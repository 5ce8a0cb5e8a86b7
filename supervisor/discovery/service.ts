/**
 * One service advertised in Consul: registration with a TTL check, heartbeats, deregistration,
 * maintenance. No method throws or rejects: Consul being down is logged (with back-off) and
 * retried at the next heartbeat, so a job never stops or restarts because of Consul.
 *
 * Consul forgetting the service (agent restarted with an empty catalog, service removed by
 * hand, ...) shows up as an unknown-check answer to the heartbeat: the service is registered
 * again and the heartbeat repeated, so everything is back at the next heartbeat.
 */
import { FailureLog } from './retry-backoff.js';
import { ConsulRequestError } from './errors.js';
import type { Logger } from './log.js';
import { checkIdFor, isLostCheck, registrationBody, type CheckStatus, type ServiceApi, type ServiceDefinition } from './registration.js';

export { isLostCheck, registrationBody, ttlString, type CheckStatus, type ServiceApi, type ServiceDefinition } from './registration.js';

const noop = (): void => undefined;

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
  private resumeAfterMaintenance = false;
  private lastStatus: CheckStatus | undefined;
  private lastError: string | undefined;
  private queuedBeat: Promise<void> | null = null;
  private nextBeat: { status: CheckStatus; output: string } = { status: 'passing', output: 'ok' };

  /** `after`: a previous registration of the same ID still closing; nothing is sent before it ends. */
  constructor(def: ServiceDefinition, api: ServiceApi, log: Logger, after?: Promise<unknown>) {
    this.definition = def;
    this.api = api;
    this.log = log;
    if (after) this.chain = after.then(noop, noop);
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
    if (this.closed) return Promise.resolve(); // closed already deregistered; the ID may be reused
    return this.enqueue(() => this.doDeregister()).then(() => undefined);
  }

  /** true: deregister and ignore heartbeats; false: register again what was registered before
   * (a job that was stopped stays out; a running one also comes back at its next heartbeat).
   * Resolves whether the state changed. */
  setMaintenance(on: boolean): Promise<boolean> {
    if (this.closed || on === this.maintenance) return Promise.resolve(false);
    this.maintenance = on;
    const op = on
      ? () => {
          this.resumeAfterMaintenance = this.registered;
          return this.registered ? this.doDeregister() : Promise.resolve(true);
        }
      : () => (this.resumeAfterMaintenance ? this.doRegister(this.definition.initialStatus) : Promise.resolve(false));
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
    this.chain = run.then(noop, noop);
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
      this.registered = false;
      // Already gone (never registered, or lost by Consul): the wanted state is reached.
      if (err instanceof ConsulRequestError && err.statusCode === 404) return true;
      this.failed(err);
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
