// The Consul server's health check: passes while its cluster has a leader and a quorum of the
// expected servers, through the HTTP API (no curl in the image). A cluster that has lost one of
// three servers still passes, and says so: failing it would have Docker restart healthy servers.
const expect = Number(process.env.CONSUL_EXPECT ?? 3);
const quorum = Math.floor(expect / 2) + 1;
const get = async (path) => {
  const res = await fetch(`http://127.0.0.1:8500${path}`, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
};
try {
  const [leader, peers] = await Promise.all([get('/v1/status/leader'), get('/v1/status/peers')]);
  if (!leader) throw new Error('no raft leader');
  if (peers.length < quorum) throw new Error(`${peers.length} raft peers, a quorum is ${quorum} of ${expect}`);
  console.log(`leader ${leader}, ${peers.length} of ${expect} servers${peers.length < expect ? ' (degraded)' : ''}`);
} catch (err) {
  console.error(`consul-server unhealthy: ${err.message}`);
  process.exit(1);
}
