// Waiting for Consul and nginx to agree on the instances of the blueprint's services, and timing
// how far nginx lags behind Consul.
import { addrs, passing, sameSet, upstreams } from './checks.mjs';
import { sleep } from './sh.mjs';

const NGINX_CONF = '/etc/nginx/nginx.conf';

/**
 * Starts `action` (e.g. `docker-compose scale`) and polls, while it runs and after, until it has
 * finished, Consul has exactly `want[service]` passing instances of each service and nginx's
 * rendered upstreams list exactly those. Every instance is followed on its own: when it first
 * shows up passing in Consul and in nginx.conf, and, for those there at the start, when it
 * leaves each. Returns (ms from the start of `action`):
 *   consulAt  Consul first showed the wanted instances (the last one passing, or gone)
 *   nginxAt   nginx.conf first listed exactly them
 *   lastLag   for the instance that changed last in Consul, Consul -> nginx.conf
 *   maxLag    the largest Consul -> nginx.conf delay of any instance that changed
 * Polls every `everyMs` (Consul's HTTP API and the file, read through the container's root
 * filesystem on the host), which bounds the resolution of these figures.
 */
export async function converge(project, { consulIp, nginxId, want, action = async () => {}, timeoutMs = 120_000, everyMs = 25 }) {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const services = Object.keys(want);
  let done = false;
  let failed;
  const running = Promise.resolve().then(action).then(() => { done = true; }, (err) => { failed = err; });
  const consulSeen = new Map();
  const nginxSeen = new Map();
  const consulGone = new Map();
  const nginxGone = new Map();
  let initial;
  let consulAt;
  let last = {};
  while (now() < timeoutMs) {
    if (failed) throw failed;
    const inConsul = {};
    for (const s of services) inConsul[s] = addrs(await passing(consulIp, s)).map((a) => `${s} ${a}`);
    let conf = '';
    try {
      conf = await project.readContainerFile(nginxId, NGINX_CONF);
    } catch {
      // being replaced right now: read again next time
    }
    const parsed = upstreams(conf);
    const inNginx = Object.fromEntries(services.map((s) => [s, (parsed[s] ?? []).map((a) => `${s} ${a}`)]));
    const t = now();
    const consulAll = services.flatMap((s) => inConsul[s]);
    const nginxAll = services.flatMap((s) => inNginx[s]);
    initial ??= new Set(consulAll);
    for (const a of consulAll) if (!consulSeen.has(a)) consulSeen.set(a, t);
    for (const a of nginxAll) if (!nginxSeen.has(a)) nginxSeen.set(a, t);
    for (const a of initial) {
      if (!consulAll.includes(a) && !consulGone.has(a)) consulGone.set(a, t);
      if (!nginxAll.includes(a) && !nginxGone.has(a)) nginxGone.set(a, t);
    }
    const consulOk = services.every((s) => inConsul[s].length === want[s]);
    if (consulOk && consulAt === undefined) consulAt = t;
    if (!consulOk) consulAt = undefined;
    last = { consul: inConsul, nginx: inNginx };
    if (done && consulOk && services.every((s) => sameSet(inNginx[s], inConsul[s]))) {
      await running;
      // Changes: instances added (first passing -> first listed) and removed (gone -> dropped).
      const lags = [];
      for (const a of consulAll) if (!initial.has(a)) lags.push([consulSeen.get(a), nginxSeen.get(a)]);
      for (const a of initial) if (!consulAll.includes(a)) lags.push([consulGone.get(a), nginxGone.get(a)]);
      const deltas = lags.map(([c, n]) => Math.max(0, n - c));
      const lastIdx = lags.reduce((best, l, i) => (best < 0 || l[0] > lags[best][0] ? i : best), -1);
      return {
        instances: inConsul,
        consulAt,
        nginxAt: t,
        lastLag: lastIdx >= 0 ? deltas[lastIdx] : 0,
        maxLag: deltas.length ? Math.max(...deltas) : 0,
      };
    }
    await sleep(everyMs);
  }
  await running;
  throw new Error(`Consul and nginx did not converge on ${JSON.stringify(want)} within ${timeoutMs / 1000} s` +
    `${done ? '' : ' (the command had not finished either)'}; last seen passing in Consul: ${describe(last.consul)}; ` +
    `in nginx's upstreams: ${describe(last.nginx)}`);
}

function describe(byService) {
  if (!byService) return 'nothing';
  return Object.entries(byService).map(([s, list]) => `${s}=${list.length} [${list.map((a) => a.split(' ')[1]).join(' ')}]`).join(', ');
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
