#!/usr/bin/env bash
# Starts a private dockerd: own data root (cached between runs, so imported base images and build
# cache survive), own exec root, pid file, socket and address pool, no iptables changes and no
# userland proxy (published ports are not bound on the host; the e2e reaches containers by their
# IPs on the compose network, which this daemon creates). Prints `DOCKER_HOST=unix://...` last.
#
#   bash e2e/setup/start-dockerd.sh [STATE_DIR]
set -euo pipefail

cache_root="${AUTOPILOT_CACHE:-$HOME/.cache/autopilot}"
state="${1:-$cache_root/e2e-dockerd}"
run_dir="/run/autopilot-e2e-dockerd"   # short: unix socket paths are limited to 108 bytes
mkdir -p "$state/data" "$run_dir"
sock="$run_dir/docker.sock"
pidfile="$run_dir/dockerd.pid"

if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "start-dockerd: a dockerd from an earlier run is still up (pid $(cat "$pidfile")); stop it with e2e/setup/stop-dockerd.sh" >&2
  exit 1
fi
rm -f "$sock" "$pidfile"

# The default bridge is where `docker build` runs its RUN steps: our own (never the host's docker0),
# so a build reaches the test's npm registry on the bridge's address, as a user's build reaches
# registry.npmjs.org. stop-dockerd.sh removes it. Compose networks come from the pool.
bridge="ap-e2e0"
bridge_ip="10.232.0.1/24"
if ! ip link show "$bridge" >/dev/null 2>&1; then
  ip link add "$bridge" type bridge
  ip addr add "$bridge_ip" dev "$bridge"
fi
ip link set "$bridge" up
/usr/sbin/dockerd \
  --data-root "$state/data" \
  --exec-root "$run_dir/exec" \
  --pidfile "$pidfile" \
  -H "unix://$sock" \
  --containerd-namespace autopilot-e2e \
  --containerd-plugins-namespace autopilot-e2e-plugins \
  --bridge "$bridge" \
  --iptables=false --ip6tables=false --ip-masq=false \
  --userland-proxy=false \
  --default-address-pool base=10.231.0.0/16,size=24 \
  --log-level warn \
  >"$state/dockerd.log" 2>&1 &
pid=$!

for _ in $(seq 1 300); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start-dockerd: dockerd exited during startup; its log ($state/dockerd.log):" >&2
    tail -n 30 "$state/dockerd.log" >&2
    exit 1
  fi
  if DOCKER_HOST="unix://$sock" /usr/bin/docker version >/dev/null 2>&1; then
    echo "DOCKER_HOST=unix://$sock"
    exit 0
  fi
  sleep 0.1
done
echo "start-dockerd: dockerd did not answer within 30 s; its log ($state/dockerd.log):" >&2
tail -n 30 "$state/dockerd.log" >&2
kill "$pid" 2>/dev/null || true
exit 1
