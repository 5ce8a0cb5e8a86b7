#!/bin/sh
# nginx's preStart job (containerpilot.json5): renders /etc/nginx/nginx.conf from Consul before
# nginx starts, so nginx's first requests go to the passing instances and not to placeholders
# (502). It waits, a minute at most, until every upstream has a passing instance; then nginx
# starts anyway, with a placeholder for each upstream still empty, which the watches fill in as
# instances pass. It always exits 0: nginx must start even when Consul is down.
#   usage: prestart.sh <consul host:port>
set -u
consul="$1"
conf=/etc/nginx/nginx.conf
try=0
while [ "$try" -lt 60 ]; do
  if autopilot render -once -consul "$consul" -template "/etc/containerpilot/nginx.conf.ctmpl:$conf"; then
    # upstream.ejs marks an upstream with no passing instance with this comment.
    grep -q 'no healthy instance yet' "$conf" || exit 0
  fi
  try=$((try + 1))
  sleep 1
done
echo "prestart: an upstream has no passing instance yet; nginx starts with a placeholder for it" >&2
exit 0
