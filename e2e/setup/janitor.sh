#!/usr/bin/env bash
# Tears the e2e down if the test process dies without doing it itself (killed, interrupted):
# waits for PID to exit, then removes every container of the e2e's daemon, stops the daemon and
# deletes WORK_DIR. The test starts it detached and, after its own tear-down, ends it.
#
#   bash e2e/setup/janitor.sh PID WORK_DIR
set -uo pipefail

pid="$1"
work="$2"
here="$(cd "$(dirname "$0")" && pwd)"
sock="/run/autopilot-e2e-dockerd/docker.sock"

while kill -0 "$pid" 2>/dev/null; do sleep 1; done

if [[ -S "$sock" ]]; then
  export DOCKER_HOST="unix://$sock"
  ids="$(timeout 30 /usr/bin/docker ps -aq 2>/dev/null)"
  # shellcheck disable=SC2086
  [[ -n "$ids" ]] && timeout 60 /usr/bin/docker rm -f $ids >/dev/null 2>&1
  timeout 30 /usr/bin/docker network prune -f >/dev/null 2>&1
fi
bash "$here/stop-dockerd.sh"
# The test's npm registry (e2e/lib/registry.mjs), started from a config under WORK_DIR.
[[ -n "$work" ]] && pkill -f -- "--config $work/registry/config.yaml" 2>/dev/null
[[ -n "$work" && -d "$work" ]] && rm -rf -- "$work"
exit 0
