#!/usr/bin/env bash
# Builds stand-ins for the base images the generated Dockerfiles and compose file name, since no
# image registry is reachable: one Debian bookworm root filesystem (debootstrap, cached) plus
#   node:20-bookworm-slim   the host's Node.js binary in /usr/local/bin (it must be Node 20) and npm,
#                           with a warm npm cache for the todo-api lockfile (npm prefers it; what it
#                           lacks comes from the e2e's registry, as NPM_CONFIG_REGISTRY says)
#   nginx:1.27-bookworm     Debian's nginx
#   hashicorp/consul:1.20   the Consul binary from scripts/setup-consul.sh, official-style entrypoint
#   mongo:7.0               FerretDB (scripts/setup-ferretdb.sh, SQLite backend in /data/db) behind a
#                           `mongod` that translates mongod's flags, official-style entrypoint, and
#                           mongosh (from npm, run by the host's Node) as the official image has it
#   redis:7.4               Debian's redis-server and redis-cli, official-style entrypoint
# and imports them into the daemon at $DOCKER_HOST. Root filesystems are cached as tarballs keyed
# by a hash of this script and its inputs; an image already imported with that hash is kept.
#
#   DOCKER_HOST=unix://... bash e2e/setup/build-base-images.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache_root="${AUTOPILOT_CACHE:-$HOME/.cache/autopilot}"
cache="$cache_root/e2e-images"
docker=/usr/bin/docker
mkdir -p "$cache"
: "${DOCKER_HOST:?set DOCKER_HOST to the e2e daemon}"

node_bin="$(readlink -f "$(command -v node)")"
node_version="$("$node_bin" --version)"
[[ "$node_version" == v20.* ]] || { echo "build-base-images: host node is $node_version; node:20-bookworm-slim needs Node 20" >&2; exit 1; }
consul_bin="$(bash "$repo/scripts/setup-consul.sh" | tail -n 1)"
[[ -x "$consul_bin" ]] || { echo "build-base-images: scripts/setup-consul.sh gave no consul binary" >&2; exit 1; }

ferretdb_bin="$(bash "$repo/scripts/setup-ferretdb.sh" | tail -n 1)"
[[ -x "$ferretdb_bin" ]] || { echo "build-base-images: scripts/setup-ferretdb.sh gave no ferretdb binary" >&2; exit 1; }
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"   # .../node_modules/npm
npm_version="$(node -p "require('$npm_dir/package.json').version")"
lockfile="$repo/templates/todo-api/package-lock.json"
mongosh_version=2.12.0

key="$( { cat "$0"; echo "$node_version $npm_version $mongosh_version"; sha256sum "$consul_bin" "$ferretdb_bin" "$lockfile"; } | sha256sum | cut -c1-16)"

exec 9>"$cache/.lock"
flock 9

# One minimal Debian root filesystem, the starting point of every image.
base_tar="$cache/bookworm-minbase.tar"
if [[ ! -s "$base_tar" ]]; then
  echo "build-base-images: debootstrap bookworm (first run only)" >&2
  dir="$(mktemp -d "$cache/.rootfs.XXXXXX")"
  debootstrap --variant=minbase bookworm "$dir" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 20 "$cache/debootstrap.log" >&2; rm -rf "$dir"; exit 1; }
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  tar -C "$dir" -cf "$base_tar.tmp" . && mv "$base_tar.tmp" "$base_tar"
  rm -rf "$dir"
fi

# customize_<name> DIR: what each image adds to the root filesystem.
customize_node() {
  local dir="$1"
  install -m 0755 "$node_bin" "$dir/usr/local/bin/node"
  # npm as the official image lays it out.
  mkdir -p "$dir/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$dir/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/local/bin/npx"
  # The todo-api's packages, fetched once on the host into an npm cache that becomes root's.
  local tmp
  tmp="$(mktemp -d "$cache/.npm.XXXXXX")"
  cp "$repo/templates/todo-api/package.json" "$lockfile" "$tmp/"
  (cd "$tmp" && npm ci --cache "$tmp/cache" --ignore-scripts --no-audit --no-fund --loglevel=error) >&2 \
    || { rm -rf "$tmp"; echo "build-base-images: npm ci of the todo-api lockfile failed" >&2; return 1; }
  mkdir -p "$dir/root"
  rm -rf "$tmp/cache/_logs"   # the host run's debug logs
  cp -a "$tmp/cache" "$dir/root/.npm"
  rm -rf "$tmp"
}
# apt_install DIR PACKAGE...: Debian packages into the root filesystem, no service started.
apt_install() {
  local dir="$1"; shift
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"   # no service starts in the chroot
  chmod 0755 "$dir/usr/sbin/policy-rc.d"
  chroot "$dir" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive;
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null' apt_install "$@" >&2
  rm -f "$dir/usr/sbin/policy-rc.d"
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  : >"$dir/etc/resolv.conf"
}
customize_nginx() {
  local dir="$1"
  apt_install "$dir" nginx
  rm -f "$dir/etc/nginx/sites-enabled/default"
  # As in the official image: logs go to the container's output.
  ln -sf /dev/stdout "$dir/var/log/nginx/access.log"
  ln -sf /dev/stderr "$dir/var/log/nginx/error.log"
}
customize_consul() {
  local dir="$1"
  install -m 0755 "$consul_bin" "$dir/bin/consul"
  mkdir -p "$dir/consul/data" "$dir/consul/config"
  # The official image's entrypoint: `agent ...` and `-flag ...` run consul; anything else as is.
  cat >"$dir/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then set -- consul agent "$@"; fi
if [ "$1" = agent ]; then shift; set -- consul agent -data-dir=/consul/data -config-dir=/consul/config "$@"; fi
exec "$@"
SH
  chmod 0755 "$dir/usr/local/bin/docker-entrypoint.sh"
}

customize_mongo() {
  local dir="$1"
  install -m 0755 "$ferretdb_bin" "$dir/usr/local/bin/ferretdb"
  mkdir -p "$dir/data/db" "$dir/data/configdb"
  # mongod's flags, as far as a single server uses them, mapped onto FerretDB's; others are ignored.
  cat >"$dir/usr/local/bin/mongod" <<'SH'
#!/bin/sh
# mongod stand-in: FerretDB with its SQLite backend, storing in --dbpath (default /data/db).
set -e
bind=127.0.0.1 port=27017 dbpath=/data/db
while [ $# -gt 0 ]; do
  case "$1" in
    --bind_ip_all) bind=0.0.0.0 ;;
    --bind_ip) bind="${2%%,*}"; shift ;;
    --bind_ip=*) bind="${1#*=}"; bind="${bind%%,*}" ;;
    --port) port="$2"; shift ;;
    --port=*) port="${1#*=}" ;;
    --dbpath) dbpath="$2"; shift ;;
    --dbpath=*) dbpath="${1#*=}" ;;
    --version) exec ferretdb --version ;;
    *) echo "mongod (FerretDB stand-in): ignoring $1" >&2 ;;
  esac
  shift
done
exec ferretdb --handler=sqlite --sqlite-url="file:${dbpath%/}/" --listen-addr="$bind:$port" \
  --state-dir=/data/configdb --telemetry=disable
SH
  chmod 0755 "$dir/usr/local/bin/mongod"
  # mongosh, which the official image ships and health checks run: the npm package on a Node of
  # its own, outside PATH's `node` (the official image has no node either).
  local lib="$dir/usr/local/lib/mongosh"
  mkdir -p "$lib"
  install -m 0755 "$node_bin" "$lib/node"
  npm install --prefix "$lib" --ignore-scripts --no-audit --no-fund --loglevel=error "mongosh@$mongosh_version" >&2
  rm -rf "$lib/package.json" "$lib/package-lock.json"
  printf '#!/bin/sh\nexec /usr/local/lib/mongosh/node /usr/local/lib/mongosh/node_modules/mongosh/bin/mongosh.js "$@"\n' >"$dir/usr/local/bin/mongosh"
  chmod 0755 "$dir/usr/local/bin/mongosh"
  # The official image's entrypoint: `-flag ...` runs mongod with them; anything else as is.
  cat >"$dir/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then set -- mongod "$@"; fi
exec "$@"
SH
  chmod 0755 "$dir/usr/local/bin/docker-entrypoint.sh"
}

customize_redis() {
  local dir="$1"
  apt_install "$dir" redis-server
  mkdir -p "$dir/data"
  # The official image's entrypoint: `-flag ...` or a .conf runs redis-server with them. Its
  # redis-server is built with protected mode off (the container's network is the boundary);
  # Debian's is not, so the stand-in turns it off on the command line.
  cat >"$dir/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then shift; set -- redis-server --protected-mode no "$@"; fi
exec "$@"
SH
  chmod 0755 "$dir/usr/local/bin/docker-entrypoint.sh"
}

# build NAME CUSTOMIZER CHANGE...: cached tarball -> `docker import` unless already imported.
build() {
  local name="$1" customize="$2"; shift 2
  local tar="$cache/${name//[\/:]/_}-$key.tar"
  local have
  have="$($docker image inspect -f '{{index .Config.Labels "autopilot.e2e.key"}}' "$name" 2>/dev/null || true)"
  if [[ "$have" == "$key" ]]; then return 0; fi
  if [[ ! -s "$tar" ]]; then
    echo "build-base-images: building $name" >&2
    local dir
    dir="$(mktemp -d "$cache/.rootfs.XXXXXX")"
    tar -C "$dir" -xf "$base_tar"
    "$customize" "$dir"
    tar -C "$dir" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$dir"
    rm -f "$cache/${name//[\/:]/_}-"*.tar.old
  fi
  local changes=(--change "LABEL autopilot.e2e.key=$key")
  local c
  for c in "$@"; do changes+=(--change "$c"); done
  $docker import "${changes[@]}" "$tar" "$name" >/dev/null
  # `docker import` cannot set STOPSIGNAL; a one-line build on top can (no network needed).
  if [[ -n "${STOP_SIGNAL:-}" ]]; then
    printf 'FROM %s\nSTOPSIGNAL %s\n' "$name" "$STOP_SIGNAL" | $docker build -q -t "$name" - >/dev/null
  fi
  echo "build-base-images: imported $name" >&2
}

env_path='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
build node:20-bookworm-slim customize_node "$env_path" 'ENV npm_config_prefer_offline=true' 'CMD ["node"]'
# The official nginx image stops with SIGQUIT (graceful); images built FROM it inherit that.
STOP_SIGNAL=SIGQUIT build nginx:1.27-bookworm customize_nginx "$env_path" 'EXPOSE 80' 'CMD ["nginx", "-g", "daemon off;"]'
build hashicorp/consul:1.20 customize_consul "$env_path" 'EXPOSE 8500' \
  'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["agent", "-dev", "-client", "0.0.0.0"]'
build mongo:7.0 customize_mongo "$env_path" 'VOLUME ["/data/db", "/data/configdb"]' 'EXPOSE 27017' \
  'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["mongod"]'
build redis:7.4 customize_redis "$env_path" 'VOLUME ["/data"]' 'WORKDIR /data' 'EXPOSE 6379' \
  'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["redis-server"]'
# Tarballs of earlier keys are no longer used.
find "$cache" -maxdepth 1 -name '*.tar' ! -name "*-$key.tar" ! -name 'bookworm-minbase.tar' -delete
$docker image prune -f >/dev/null
