// The Consul server's health check, through the HTTP API (no curl in the image).
//   check-raft.mjs           what Consul sees: passes while the cluster has a leader and a quorum
//                            of the expected servers. Losing one server of three still passes, and
//                            says so.
//   check-raft.mjs --answers what Docker sees (the image's HEALTHCHECK): the agent answers. Swarm's
//                            DNS lists only healthy tasks, and the servers find each other through
//                            it (tasks.<service>): a leader-gated Docker check would never let the
//                            cluster form, and restarting a server does not bring a leader back.
const answersOnly = process.argv.includes('--answers');
const expect = Number(process.env.CONSUL_EXPECT ?? 3);
const quorum = Math.floor(expect / 2) + 1;
const get = async (path) => {
  const res = await fetch(`http://127.0.0.1:8500${path}`, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
};
try {
  if (answersOnly) {
    const self = await get('/v1/agent/self');
    console.log(`consul ${self.Config?.Version ?? ''} answers`);
    process.exit(0);
  }
  const [leader, peers] = await Promise.all([get('/v1/status/leader'), get('/v1/status/peers')]);
  if (!leader) throw new Error('no raft leader');
  if (peers.length < quorum) throw new Error(`${peers.length} raft peers, a quorum is ${quorum} of ${expect}`);
  console.log(`leader ${leader}, ${peers.length} of ${expect} servers${peers.length < expect ? ' (degraded)' : ''}`);
} catch (err) {
  console.error(`consul-server unhealthy: ${err.message}`);
  process.exit(1);
}
