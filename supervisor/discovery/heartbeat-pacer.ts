/**
 * Which passing health checks are sent to Consul as TTL heartbeats. ContainerPilot sent one per
 * check: with `interval: 1, ttl: 5` that is five HTTP requests to the agent per job every five
 * seconds where two keep the TTL alive, and those requests are most of an idle supervisor's CPU.
 * A heartbeat is skipped only when everything is known to be fine (registered, last status
 * passing, last request succeeded) and the next check, expected one gap later, still falls in
 * the first half of the TTL since the last heartbeat sent: so at most about ttl/2 plus one
 * check interval passes between two heartbeats, and a check interval of ttl/4 or more sends
 * every one, as before. A change of status or any Consul trouble is sent at once.
 */
import type { ServiceState } from './service.js';

export class HeartbeatPacer {
  private lastCall: number | undefined;
  private lastSent: number | undefined;

  constructor(private readonly ttlMs: number) {}

  /** Called on every passing check at time `now` (ms); true when this one must be sent. */
  due(now: number, state: Pick<ServiceState, 'registered' | 'lastStatus' | 'lastError'> | undefined): boolean {
    const gap = this.lastCall === undefined ? Infinity : now - this.lastCall;
    this.lastCall = now;
    const healthy = state !== undefined && state.registered && state.lastStatus === 'passing' && state.lastError === undefined;
    if (healthy && this.ttlMs > 0 && this.lastSent !== undefined && now - this.lastSent + gap < this.ttlMs / 2) return false;
    this.lastSent = now;
    return true;
  }
}
