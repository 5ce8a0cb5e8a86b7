#!/usr/bin/env bash
# Builds a static Consul binary from source through the Go module proxy and caches it outside the
# repository. Consul is packaged neither by Debian nor by npm, and release downloads are not
# reachable, so the tests get their real Consul this way.
#
#   bash scripts/setup-consul.sh        # last stdout line: path of the consul binary
#
# Environment: CONSUL_VERSION (default below), AUTOPILOT_CACHE (default ~/.cache/autopilot).
# With the binary already cached this only checks the file and prints its path. Interrupting a
# build leaves no half-written binary: it is built into a temporary path, checked, then renamed.
set -euo pipefail

version="${CONSUL_VERSION:-v1.22.5}"
version="v${version#v}"
cache_root="${AUTOPILOT_CACHE:-$HOME/.cache/autopilot}"
dest_dir="$cache_root/consul-$version"
dest="$dest_dir/consul"

if [[ -x "$dest" ]]; then
  echo "$dest"
  exit 0
fi

command -v go >/dev/null || { echo "setup-consul: go is not installed (needed to build Consul $version)" >&2; exit 1; }
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
# On interruption also stop the go command (it would otherwise keep building into $work).
trap '[[ -n "$child" ]] && kill "$child" 2>/dev/null; exit 130' INT TERM HUP
start=$SECONDS
echo "setup-consul: building Consul $version from source (first run only; about 20 minutes on 2 cores)" >&2

# Consul's own go.mod: its submodules (api, sdk, ...) are `replace`d with local directories,
# which a dependent module ignores, so require them at the versions it names instead; its
# non-local replace and exclude lines are also ignored in a dependency, so copy them.
upstream_mod="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/hashicorp/consul@$version" \
  | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
[[ -f "$upstream_mod" ]] || { echo "setup-consul: could not download github.com/hashicorp/consul@$version" >&2; exit 1; }

{
  echo "module autopilot.local/consul-build"
  echo
  echo "go $(go env GOVERSION | sed 's/^go\([0-9]*\.[0-9]*\).*/\1/')"
  echo
  echo "require github.com/hashicorp/consul $version"
  echo
  echo "require ("
  grep -E '^[[:space:]]*github\.com/hashicorp/consul/[a-z/-]+ v[^ ]+' "$upstream_mod" \
    | awk '{ print "\t" $1 " " $2 }' | sort -u
  echo ")"
  echo
  # replace/exclude blocks or single lines, minus local (./ or ../) replacements.
  awk '
    /^(replace|exclude) \($/ { block = $1; next }
    block != "" && /^\)$/ { block = ""; next }
    block != "" { if (!(block == "replace" && $0 ~ /=>[[:space:]]*\.\.?\//)) print block " " $0; next }
    /^(replace|exclude) / { if (!($1 == "replace" && $0 ~ /=>[[:space:]]*\.\.?\//)) print }
  ' "$upstream_mod" | sed 's/[[:space:]]\/\/.*$//; s/^\(replace\|exclude\)[[:space:]]\+/\1 /'
} >"$work/go.mod"

# -mod=mod lets the go command fill in go.sum (verified against the checksum database).
(cd "$work" && exec env CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' \
  -o "$work/consul" github.com/hashicorp/consul) >&2 &
child=$!
wait "$child"
child=""

"$work/consul" version >&2
chmod 755 "$work/consul"
mv -f "$work/consul" "$dest"
echo "setup-consul: built $dest in $((SECONDS - start)) s" >&2
echo "$dest"
