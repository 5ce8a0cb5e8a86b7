#!/usr/bin/env bash
# Builds HashiCorp's consul-template from source through the Go module proxy and caches it outside
# the repository. The render tests compare `autopilot render` with it byte for byte.
#
#   bash scripts/setup-consul-template.sh   # last stdout line: path of the consul-template binary
#
# Environment: CONSUL_TEMPLATE_VERSION (default below), AUTOPILOT_CACHE (default
# ~/.cache/autopilot). With the binary already cached this only prints its path. An interrupted
# build leaves no half-written binary: it is built into a temporary path, checked, then renamed.
set -euo pipefail

version="${CONSUL_TEMPLATE_VERSION:-v0.41.1}"
version="v${version#v}"
cache_root="${AUTOPILOT_CACHE:-$HOME/.cache/autopilot}"
dest_dir="$cache_root/consul-template-$version"
dest="$dest_dir/consul-template"

if [[ -x "$dest" ]]; then
  echo "$dest"
  exit 0
fi

command -v go >/dev/null || { echo "setup-consul-template: go is not installed (needed to build consul-template $version)" >&2; exit 1; }
mkdir -p "$dest_dir"

# Two test processes may ask at once: one builds, the other waits and then reuses the result.
exec 9>"$dest_dir/.lock"
if command -v flock >/dev/null; then flock 9; fi
if [[ -x "$dest" ]]; then
  echo "$dest"
  exit 0
fi

rm -rf "$dest_dir"/.build.* # left by an interrupted build; we hold the lock
work="$(mktemp -d "$dest_dir/.build.XXXXXX")"
child=""
trap 'rm -rf "$work"' EXIT
trap '[[ -n "$child" ]] && kill "$child" 2>/dev/null; exit 130' INT TERM HUP
start=$SECONDS
echo "setup-consul-template: building consul-template $version from source (first run only; a few minutes)" >&2

# consul-template's go.mod has no replace directives, so `go install module@version` builds it
# exactly as its own module graph says (go.sum checked against the checksum database).
(cd "$work" && exec env CGO_ENABLED=0 GOBIN="$work/bin" GOFLAGS= go install -trimpath -ldflags='-s -w' \
  "github.com/hashicorp/consul-template@$version") >&2 &
child=$!
wait "$child"
child=""

"$work/bin/consul-template" -version >&2
chmod 755 "$work/bin/consul-template"
mv -f "$work/bin/consul-template" "$dest"
echo "setup-consul-template: built $dest in $((SECONDS - start)) s" >&2
echo "$dest"
