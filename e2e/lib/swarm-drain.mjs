// How an old instance left during a rolling update, from what the swarm records: its container's
// log (autopilot's "service ... deregistered", the app's "SIGTERM" line, each stamped by Docker
// on arrival), its exit time, and nginx's record of every attempt it made to an upstream address.
// Every node runs on this machine's clock, so the times compare directly (epoch ms).

/** The nginx log line the e2e adds to the generated config: end of request, its duration, every upstream tried. */
export const UPSTREAM_LOG = '/tmp/upstream.log';
const LOG_FORMAT = `log_format upstream '$msec $request_time $upstream_addr'; access_log ${UPSTREAM_LOG} upstream;`;

/** nginx.conf (or its template) logging each request's upstream attempts instead of `access_log off`. */
export function withUpstreamLog(conf) {
  if (!/^\s*access_log off;$/m.test(conf)) throw new Error('nginx config: no `access_log off;` line to replace');
  return conf.replace(/^(\s*)access_log off;$/m, `$1${LOG_FORMAT}`);
}

/** `2026-12-04T08:10:00.123456789Z` (Docker's nanoseconds) -> epoch ms. */
const epochMs = (rfc3339) => Date.parse(rfc3339.replace(/(\.\d{3})\d*/, '$1'));

/** The attempts in nginx's upstream log: { addr, start, end } in epoch ms, one per upstream tried. */
export function upstreamAttempts(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const [msec, duration, ...addrs] = line.trim().split(/[\s,]+/);
    if (!msec || addrs.length === 0) continue;
    const end = Number(msec) * 1000;
    for (const addr of addrs.filter((a) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(a))) out.push({ addr, start: end - Number(duration) * 1000, end });
  }
  return out;
}

/**
 * One old instance's life, from its container on `node`: when it started, when autopilot logged
 * its deregistration, when the app logged SIGTERM, when the container exited.
 */
export async function stopTimeline(swarm, node, container, service) {
  const { stdout, stderr } = await swarm.docker(node, ['logs', '--timestamps', container], { timeoutMs: 30_000 });
  const lines = `${stdout}\n${stderr}`.split('\n');
  const at = (re) => {
    const times = lines.filter((l) => re.test(l)).map((l) => epochMs(l.split(' ')[0]));
    return times.length ? Math.min(...times) : undefined;
  };
  const { stdout: state } = await swarm.docker(node, ['inspect', '-f', '{{.State.StartedAt}} {{.State.FinishedAt}}', container]);
  const [started, exited] = state.trim().split(' ').map(epochMs);
  return {
    started,
    deregistered: at(new RegExp(`service ${service}-\\S+ deregistered`)),
    sigterm: at(new RegExp(`${service}: SIGTERM: finishing`)),
    exited,
  };
}
