#!/usr/bin/env bash
# Starts a three-node Docker swarm on this machine: three dockerd instances of Debian's docker.io,
# each in a network namespace of its own (apsw1..3, 10.233.0.11-13 on the host bridge ap-sw0 at
# 10.233.0.1/24) with its own hostname (node1..3), data root (cached between runs, so imported
# images survive), exec root and socket, joined as three managers (raft survives the loss of one).
# Overlay networks run over VXLAN between the namespaces and take 10.234.0.0/16. This kernel has
# no IPVS, so services use `endpoint_mode: dnsrr` and published ports `mode: host`: the routing
# mesh is not available. With no iptables, a host-mode published port reaches its container through
# docker-proxy (the userland proxy), listening in the node's namespace. Nothing is pulled: images
# are loaded into each node.
# Prints one `DOCKER_HOST=unix://...` line per node.
#
#   bash e2e/setup/start-swarm.sh
set -euo pipefail

cache_root="${AUTOPILOT_CACHE:-$HOME/.cache/autopilot}"
state="$cache_root/e2e-swarm"
run_dir="/run/autopilot-e2e-swarm"   # short: unix socket paths are limited to 108 bytes
bridge=ap-sw0
nodes=(1 2 3)

sock() { echo "$run_dir/node$1/docker.sock"; }
docker_on() { local n="$1"; shift; DOCKER_HOST="unix://$(sock "$n")" /usr/bin/docker "$@"; }

# What an earlier run left (a test killed before its tear-down) is ours alone: namespaces, bridge
# and daemons all carry our names. Clear it rather than refuse to start.
for n in "${nodes[@]}"; do
  pidfile="$run_dir/node$n/dockerd.pid"
  if { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; } || grep -q " $run_dir/" /proc/self/mountinfo; then
    echo "start-swarm: stopping the swarm an earlier run left running" >&2
    bash "$(dirname "$0")/stop-swarm.sh"
    break
  fi
done

if ! ip link show "$bridge" >/dev/null 2>&1; then
  ip link add "$bridge" type bridge
  ip addr add 10.233.0.1/24 dev "$bridge"
fi
ip link set "$bridge" up

for n in "${nodes[@]}"; do
  ns="apsw$n"
  ip netns list | grep -qw "$ns" || ip netns add "$ns"
  if ! ip link show "$ns-h" >/dev/null 2>&1; then
    ip link add "$ns-h" type veth peer name eth0 netns "$ns"
    ip link set "$ns-h" master "$bridge" up
    ip -n "$ns" addr add "10.233.0.1$n/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  fi
  ip link set "$ns-h" up   # a test may have cut it off
  mkdir -p "$state/node$n" "$run_dir/node$n"
  rm -f "$(sock "$n")"
  # nsenter, not `ip netns exec`: that remounts /sys and hides the cgroup mounts dockerd needs.
  # unshare --uts: each node has its own hostname, which is how swarm names it.
  nsenter --net="/run/netns/$ns" unshare --uts -- sh -c "hostname node$n && exec /usr/sbin/dockerd \
    --data-root '$state/node$n/data' --exec-root '$run_dir/node$n/exec' --pidfile '$run_dir/node$n/dockerd.pid' \
    -H 'unix://$(sock "$n")' --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --default-address-pool base=10.24$n.0.0/16,size=24 --log-level warn" \
    >"$state/node$n/dockerd.log" 2>&1 &
done

for n in "${nodes[@]}"; do
  for _ in $(seq 1 300); do
    docker_on "$n" version >/dev/null 2>&1 && break
    sleep 0.1
  done
  docker_on "$n" version >/dev/null 2>&1 || { echo "start-swarm: node$n's dockerd did not answer within 30 s; its log:" >&2; tail -n 30 "$state/node$n/dockerd.log" >&2; exit 1; }
  # A node's swarm state from an earlier run is stale: every run builds its swarm afresh.
  docker_on "$n" swarm leave --force >/dev/null 2>&1 || true
done

# Short heartbeats, so a lost node is noticed in seconds, as the failure drills need.
docker_on 1 swarm init --advertise-addr 10.233.0.11 --default-addr-pool 10.234.0.0/16 --dispatcher-heartbeat 1s >/dev/null
token="$(docker_on 1 swarm join-token -q manager)"
for n in 2 3; do docker_on "$n" swarm join --advertise-addr "10.233.0.1$n" --token "$token" 10.233.0.11:2377 >/dev/null; done
for n in "${nodes[@]}"; do echo "DOCKER_HOST=unix://$(sock "$n")"; done
