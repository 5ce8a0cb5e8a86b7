#!/usr/bin/env bash
# Stops what start-swarm.sh started: each node leaves the swarm (its services' containers go),
# its dockerd stops, then the namespaces and the bridge go. The data roots stay cached.
#   bash e2e/setup/stop-swarm.sh
set -uo pipefail
run_dir="/run/autopilot-e2e-swarm"
for n in 1 2 3; do
  sock="$run_dir/node$n/docker.sock"
  [[ -S "$sock" ]] && DOCKER_HOST="unix://$sock" timeout 30 /usr/bin/docker swarm leave --force >/dev/null 2>&1
  pidfile="$run_dir/node$n/dockerd.pid"
  if [[ -f "$pidfile" ]]; then
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  fi
  ip link del "apsw$n-h" 2>/dev/null
  ip netns del "apsw$n" 2>/dev/null
done
ip link del ap-sw0 2>/dev/null
rm -rf "$run_dir"
exit 0
