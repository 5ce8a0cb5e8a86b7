#!/usr/bin/env bash
# Stops the private dockerd started by start-dockerd.sh (and with it its containerd shims), waiting
# at most 30 s before killing it. Does nothing when none is running.
set -euo pipefail

run_dir="/run/autopilot-e2e-dockerd"
pidfile="$run_dir/dockerd.pid"
[[ -f "$pidfile" ]] || { ip link del ap-e2e0 2>/dev/null || true; exit 0; }
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "stop-dockerd: dockerd (pid $pid) still running after 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
rm -f "$pidfile" "$run_dir/docker.sock"
# The build bridge start-dockerd.sh made.
ip link del ap-e2e0 2>/dev/null || true
