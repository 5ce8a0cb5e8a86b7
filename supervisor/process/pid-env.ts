/**
 * The environment every child gets: ours, plus CONTAINERPILOT_PID (the supervisor) and
 * CONTAINERPILOT_<JOB>_PID for each job whose process is running right now (ContainerPilot sets
 * these so hooks can signal the main process, e.g. `kill -HUP $CONTAINERPILOT_APP_PID`).
 */
const running = new Map<string, number>();

/** `my-app` -> `CONTAINERPILOT_MY_APP_PID`. */
export function jobPidVar(job: string): string {
  return `CONTAINERPILOT_${job.toUpperCase().replace(/-/g, '_')}_PID`;
}

export function setJobPid(job: string, pid: number): void {
  running.set(job, pid);
}

/** Clears the variable only if it still names this pid (a restart may already have replaced it). */
export function clearJobPid(job: string, pid: number): void {
  if (running.get(job) === pid) running.delete(job);
}

export function childEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  // A stale value inherited from our own parent must not leak into children.
  for (const k of Object.keys(env)) if (/^CONTAINERPILOT_.+_PID$/.test(k)) delete env[k];
  env['CONTAINERPILOT_PID'] = String(process.pid);
  for (const [job, pid] of running) env[jobPidVar(job)] = String(pid);
  return env;
}
