// `docker compose stop` (or v1's `docker-compose stop`) of a blueprint, checked: every container exits within Docker's stop window
// without a SIGKILL and with the expected code, and every service is deregistered, in Consul's log
// and by its own stop hook.
import { registered } from './checks.mjs';

// Docker's default stop window (docker compose stop -t 10).
const STOP_WINDOW_MS = 10_000;

/**
 * Stops the project and throws one error listing every problem. `all`: the compose services,
 * Consul's included; `app`: the supervised ones; `oneEach`: Consul must list exactly one instance
 * of each app service before the stop.
 */
export async function composeStop(project, phases, { consulIp, all, app, oneEach = false }) {
  const ids = Object.fromEntries(await Promise.all(all.map(async (s) => [s, await project.ids(s)])));
  const serviceIds = (await Promise.all(app.map((s) => registered(consulIp, s)))).flat();
  if (oneEach && serviceIds.length !== app.length) throw new Error(`Consul lists ${serviceIds.join(', ')}; want one each of ${app.join(', ')}`);
  const t0 = Date.now();
  await project.compose(['stop'], { timeoutMs: 60_000 });
  phases.note(`${project.composeCommand} stop`, Date.now() - t0);
  const events = await stopEvents(project, t0);
  const problems = [];
  for (const service of all) {
    for (const info of await project.inspect(ids[service])) {
      const name = info.Name.replace(/^\//, '');
      const ev = events.get(info.Id) ?? { signals: [] };
      if (info.State.Running) problems.push(`${name} still running`);
      // Docker's window runs from the stop signal it sends each container to that one's exit.
      if (ev.signalAt === undefined || ev.dieAt === undefined) problems.push(`${name}: no stop signal or exit seen in docker events`);
      else if (ev.dieAt - ev.signalAt > STOP_WINDOW_MS) problems.push(`${name} exited ${Math.round(ev.dieAt - ev.signalAt)} ms after its stop signal (window ${STOP_WINDOW_MS} ms; signals sent: ${ev.signals.join(', ')})`);
      if (ev.signals.includes('9')) problems.push(`${name} was killed (SIGKILL) after the stop window`);
      // autopilot exits with its main job's code, 0 after a SIGTERM stop (`autopilot run --help`);
      // Consul (not supervised) exits 1 after a SIGTERM, its own convention.
      const want = service === 'consul' ? 1 : 0;
      if (info.State.ExitCode !== want) problems.push(`${name} exit code ${info.State.ExitCode}, want ${want}`);
    }
  }
  // Consul stops last (the others depend on it), so its log saw every deregistration.
  const consulLog = (await project.docker(['logs', ids.consul[0]])).stdout;
  for (const sid of serviceIds) {
    if (!consulLog.includes(`Deregistered service: service=${sid}`)) problems.push(`Consul never deregistered ${sid}`);
  }
  // The supervisor's stop hook for a service deregisters it, and logs that it did.
  for (const service of app) {
    for (const info of await project.inspect(ids[service])) {
      const sid = `${service}-${info.Config.Hostname}`;
      const { stdout, stderr } = await project.docker(['logs', info.Id]);
      if (!(stdout + stderr).includes(`service ${sid} deregistered`)) problems.push(`${sid}: no "service ${sid} deregistered" in its log`);
    }
  }
  if (problems.length) throw new Error(problems.join('; '));
}

/**
 * Per container, from `docker events` since `sinceMs`: the signals Docker sent (`kill` events),
 * when it sent the first (ms) and when the container exited (`die`).
 */
export async function stopEvents(project, sinceMs) {
  const { stdout } = await project.docker(['events', '--since', (sinceMs / 1000 - 1).toFixed(3), '--until', (Date.now() / 1000).toFixed(3),
    '--filter', 'type=container', '--format', '{{json .}}'], { timeoutMs: 30_000 });
  const byId = new Map();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    const at = Number(BigInt(e.timeNano) / 1000n) / 1000;
    const entry = byId.get(e.id) ?? { signals: [] };
    if (e.Action === 'kill') {
      entry.signals.push(e.Actor.Attributes.signal);
      entry.signalAt ??= at;
    }
    if (e.Action === 'die') entry.dieAt = at;
    byId.set(e.id, entry);
  }
  return byId;
}
