#!/usr/bin/env bash
# Stops what start-swarm.sh started: each node leaves the swarm (its services' containers go),
# its dockerd stops, then the namespaces, the bridge and the daemons' leftover mounts go. The data
# roots stay cached. Exits 1 if a mount under the run folder could not be removed.
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
# A daemon that was killed leaves its containers running under their shims: end each container's
# init (its PID namespace goes with it), then the shim. Only shims of our daemons' containerd.
for proc in /proc/[0-9]*; do
  cmd="$(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null)" || continue
  [[ "$cmd" == *containerd-shim*" -address $run_dir/"* ]] || continue
  shim="${proc#/proc/}"
  echo "stop-swarm: killing the containers of shim $shim, left by a stopped daemon" >&2
  pkill -9 -P "$shim"
  kill -9 "$shim" 2>/dev/null
done
# dockerd bind-mounts its containers' network namespaces under its exec root (exec/netns/); a
# daemon that stops while its node is cut off, or is killed, leaves them mounted. Deepest first.
mounts="$(awk -v root="$run_dir/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo | sort -r)"
if [[ -n "$mounts" ]]; then
  echo "stop-swarm: unmounting $(wc -l <<<"$mounts") mounts left under $run_dir" >&2
  while read -r mnt; do umount "$mnt" 2>/dev/null || umount -l "$mnt"; done <<<"$mounts"
fi
rm -rf "$run_dir"
if grep -q " $run_dir/" /proc/self/mountinfo; then
  echo "stop-swarm: mounts left under $run_dir:" >&2
  grep " $run_dir/" /proc/self/mountinfo >&2
  exit 1
fi
exit 0
