/**
 * Discovery: the Consul client layer (registration, TTL heartbeats, maintenance, addresses).
 *
 * Interface for the app:
 *   const discovery = new Discovery({ consul: config.consul, env: process.env, log });
 *   const svc = discovery.forJob(job);   // undefined when the job has no `port`; throws
 *                                        // InterfaceError when `interfaces` match nothing
 *   await svc.register();                // with initial_status (Consul's default: critical)
 *   svc.pass(output); svc.fail(output);  // after each health check; never reject
 *   await svc.deregister();              // job stopped; a later pass() registers it again
 *   await discovery.setMaintenance(true|false)  // resolves true when the state changed:
 *                                        // then emit enterMaintenance / exitMaintenance
 *   discovery.forJob(job) again on reload: same registration if unchanged, else replaced;
 *   await discovery.removeService(name)  // job removed by a reload
 *   await discovery.close();             // shutdown: deregister all, release sockets
 *   ipEnvironment(config.jobs)           // { CONTAINERPILOT_<JOB>_IP: ip } for children
 *   discovery.client                     // ConsulClient, handed to startWatches()
 * In `autopilot run`: `part.ts` (createPart(config) -> DiscoveryPart: hooksFor(job), start,
 * reload, stop) wires the above to the jobs and the bus.
 * Nothing here throws into a job because of Consul: failures are logged with back-off and
 * retried at the next heartbeat; the ACL token never appears in a log line or error.
 */
export { Discovery, type DiscoveryOptions, type ServiceSpec } from './discovery.js';
export { ServiceRegistration, registrationBody, isLostCheck, ttlString, type CheckStatus, type ServiceDefinition, type ServiceState } from './service.js';
export { ConsulClient, type AgentServiceRegistration, type BlockingOptions, type HealthServiceEntry, type KvEntry, type QueryResult } from './client.js';
export { ConsulRequestError, redact } from './errors.js';
export { resolveConsulSettings, describeSettings, type ConsulSettings } from './settings.js';
export { resolveInterfaceIp, parseInterfaceSpec, parseInterfaceSpecs, InterfaceError, DEFAULT_INTERFACES, type NetworkInterfacesMap } from './interfaces.js';
export { ipEnvName, ipEnvironment } from './env.js';
export { stderrLogger, silentLogger, type Logger } from './log.js';
export { ConsulTlsError } from './tls.js';
