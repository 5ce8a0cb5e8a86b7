// Waiting for Consul and nginx to agree on the instances of the blueprint's services, and timing
// how far nginx lags behind Consul.
import { addrs, passing, sameSet, upstreams } from './checks.mjs';
import { sleep } from './sh.mjs';

const NGINX_CONF = '/etc/nginx/nginx.conf';

/**
 * Polls until Consul has exactly `want[service]` passing instances of each service and nginx's
 * rendered upstreams list exactly those. Returns the final instances per service and, in ms from
 * the start: `consulAt` (the moment Consul first showed the wanted counts, i.e. the last instance
 * passing or gone) and `nginxAt` (the moment nginx.conf listed exactly that set).
 */
export async function converge(project, { consulIp, nginxId, want, timeoutMs = 120_000, everyMs = 100 }) {
  const t0 = performance.now();
  const services = Object.keys(want);
  let consulAt;
  let last = {};
  while (performance.now() - t0 < timeoutMs) {
    const now = () => performance.now() - t0;
    const inConsul = {};
    for (const s of services) inConsul[s] = addrs(await passing(consulIp, s));
    const consulOk = services.every((s) => inConsul[s].length === want[s]);
    if (consulOk && consulAt === undefined) consulAt = now();
    if (!consulOk) consulAt = undefined;
    let conf = '';
    try {
      conf = await project.readContainerFile(nginxId, NGINX_CONF);
    } catch {
      // being replaced right now: read again next time
    }
    const inNginx = upstreams(conf);
    last = { consul: inConsul, nginx: Object.fromEntries(services.map((s) => [s, inNginx[s] ?? []])) };
    if (consulOk && services.every((s) => sameSet(inNginx[s] ?? [], inConsul[s]))) {
      return { instances: inConsul, consulAt, nginxAt: now() };
    }
    await sleep(everyMs);
  }
  throw new Error(`Consul and nginx did not converge on ${JSON.stringify(want)} within ${timeoutMs / 1000} s; ` +
    `last seen passing in Consul: ${describe(last.consul)}; in nginx's upstreams: ${describe(last.nginx)}`);
}

function describe(byService) {
  if (!byService) return 'nothing';
  return Object.entries(byService).map(([s, list]) => `${s}=${list.length} [${list.join(' ')}]`).join(', ');
}

/**
 * Sends up to `max` sequential GETs through nginx to /<service> and returns the distinct hosts
 * that answered (`<Word> from <hostname>`), stopping early once `enough` answered.
 */
export async function answeringHosts(nginxIp, service, word, { max = 100, enough = Infinity } = {}) {
  const hosts = new Set();
  const bad = [];
  for (let i = 0; i < max && hosts.size < enough; i++) {
    const res = await fetch(`http://${nginxIp}/${service}`, { signal: AbortSignal.timeout(3000) });
    const body = (await res.text()).trim();
    const m = new RegExp(`^${word} from (\\S+)$`).exec(body);
    if (res.status === 200 && m) hosts.add(m[1]);
    else if (bad.length < 3) bad.push(`${res.status} ${body.slice(0, 80)}`);
  }
  return { hosts, bad };
}
