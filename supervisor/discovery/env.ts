/**
 * `CONTAINERPILOT_<JOB>_IP` for children's environment: every job with a `port` exports the
 * address it advertises, under its name upper-cased with `-` turned into `_` (as ContainerPilot).
 */
import type { JobConfig } from '../config/model.js';
import { resolveInterfaceIp, type NetworkInterfacesMap } from './interfaces.js';

export function ipEnvName(jobName: string): string {
  return `CONTAINERPILOT_${jobName.toUpperCase().replace(/-/g, '_')}_IP`;
}

/** The variables for all service jobs. Throws InterfaceError when a job's interfaces match
 * nothing (the same error Discovery.forJob reports). */
export function ipEnvironment(jobs: readonly JobConfig[], nics?: NetworkInterfacesMap): Record<string, string> {
  const env: Record<string, string> = {};
  for (const job of jobs) {
    if (job.service) env[ipEnvName(job.name)] = resolveInterfaceIp(job.service.interfaces, nics);
  }
  return env;
}
