/**
 * `autopilot health [job]`: asks the running supervisor, over its control socket, whether its
 * health-checked jobs (or the one named) are healthy; exit 0 if so, 1 if not. It is what the
 * generated images' Docker HEALTHCHECK runs, so `docker ps`, swarm's rolling updates and
 * `depends_on: condition: service_healthy` see the health Consul sees, with no curl in the image.
 */
import { UserError } from '../../base/errors.js';
import { withControl } from './ctl.js';

export async function healthCommand(job: string | undefined, o: Record<string, unknown> = {}): Promise<number> {
  const { jobs } = await withControl(o, (c) => c.status());
  const checked = job === undefined ? jobs.filter((j) => j.health !== 'none') : jobs.filter((j) => j.name === job);
  if (job !== undefined && checked.length === 0) throw new UserError(`health: no job named "${job}" (jobs: ${jobs.map((j) => j.name).join(', ') || 'none'})`, 1);
  if (checked.length === 0) {
    process.stdout.write('healthy: no job has a health check\n');
    return 0;
  }
  // A job named that has no health check counts as healthy while its process runs.
  const well = (j: (typeof jobs)[number]) => (j.health === 'none' ? j.pid !== null : j.health === 'healthy');
  const sick = checked.filter((j) => !well(j));
  if (sick.length === 0) {
    process.stdout.write(`healthy: ${checked.map((j) => j.name).join(', ')}\n`);
    return 0;
  }
  process.stdout.write(`unhealthy: ${sick.map((j) => `${j.name} (${j.health === 'none' ? 'not running' : j.health})`).join(', ')}\n`);
  return 1;
}
