// `<compose> scale hello=10 world=6`, as a user types it, and the proof that nginx followed:
// Consul and nginx's upstreams agree on the 16 instances and 10 distinct hello containers answer.
import { upstreams } from './checks.mjs';
import { answeringHosts, converge } from './converge.mjs';

/** An action for `converge`: runs `<compose> scale <counts...>` and notes how long it took. */
export function scaleAction(project, phases, label, counts) {
  return async () => {
    const t = performance.now();
    await project.compose(['scale', ...counts], { timeoutMs: 5 * 60_000 });
    phases.note(`${label}: ${project.composeCommand} scale ${counts.join(' ')}`, performance.now() - t);
  };
}

/** Scales hello to 10 and world to 6, then checks nginx serves exactly those. ctx: { consulIp, nginxId, nginxIp }. */
export async function scaleUpAndCheck(project, phases, ctx, label = 'scale up') {
  const r = await converge(project, { ...ctx, want: { hello: 10, world: 6 }, action: scaleAction(project, phases, label, ['hello=10', 'world=6']) });
  phases.note(`${label}: all 10 + 6 passing in Consul (from scale start)`, r.consulAt);
  phases.note(`${label}: last instance passing -> nginx serving it`, r.lastLag);
  phases.note(`${label}: slowest instance passing -> nginx serving it`, r.maxLag);
  const conf = await project.readContainerFile(ctx.nginxId, '/etc/nginx/nginx.conf');
  const up = upstreams(conf);
  if (up.hello.length + up.world.length !== 16) throw new Error(`nginx lists ${up.hello.length} + ${up.world.length} upstreams, not 16`);
  const helloHosts = await hostnames(project, 'hello');
  const { hosts, bad } = await answeringHosts(ctx.nginxIp, 'hello', 'Hello', { max: 100, enough: 10 });
  const known = [...hosts].filter((h) => helloHosts.has(h));
  if (known.length < 10) {
    throw new Error(`100 requests to /hello were answered by ${known.length} distinct hello containers, not 10 ` +
      `(${[...hosts].join(' ')}${bad.length ? `; other answers: ${bad.join(' | ')}` : ''})`);
  }
}

/** Hostnames (Docker sets them to the short container ID) of a service's running containers. */
export async function hostnames(project, service) {
  const infos = await project.inspect(await project.ids(service));
  return new Set(infos.filter((i) => i.State.Running).map((i) => i.Config.Hostname));
}
