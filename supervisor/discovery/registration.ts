/**
 * What is sent to Consul for a service (pure): the registration body, the TTL check id, and
 * how a "Consul lost our check" answer is recognised.
 */
import type { AgentServiceRegistration, ConsulClient } from './client.js';
import { ConsulRequestError } from './errors.js';

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
