#!/usr/bin/env bash
# `npm test`: installs what the tests need and is missing, builds, runs every test under dist/.
#   - Debian packages: nginx (the real reverse proxy), docker-compose (compose files validated by
#     `docker-compose config -q`), tmux (the prompts in a real terminal), util-linux (unshare: a
#     PID 1 of our own), openssl (certificates for Consul's TLS), shellcheck (actionlint reads the
#     workflows' scripts with it), skopeo (reads the release's OCI image back), zsh and fish (the
#     completion scripts run in them). Installed with apt-get when missing, which needs root.
#   - Consul, consul-template and actionlint, built from source through the Go module proxy once
#     and cached in $AUTOPILOT_CACHE (default ~/.cache/autopilot); needs Go.
#   - The structure first (`npm run lint:structure`): layer rules and unused code fail the run.
# Run `npm ci` first (the README's first command does).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -d node_modules ]] || { echo "npm test: node_modules is missing: run \`npm ci\` first" >&2; exit 1; }

declare -A provides=([nginx]=nginx [docker-compose]=docker-compose [tmux]=tmux [unshare]=util-linux [openssl]=openssl [shellcheck]=shellcheck [skopeo]=skopeo [zsh]=zsh [fish]=fish)
need=()
for cmd in "${!provides[@]}"; do
  command -v "$cmd" >/dev/null || [[ -x "/usr/sbin/$cmd" ]] || need+=("${provides[$cmd]}")
done
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "npm test: missing Debian packages: ${need[*]} (run as root, or first: sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
  echo "npm test: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The nginx package starts a system nginx; the tests run their own with private prefixes.
  if [[ " ${need[*]} " == *" nginx "* ]]; then systemctl stop nginx 2>/dev/null || nginx -s stop 2>/dev/null || true; fi
fi

AUTOPILOT_CONSUL_BIN="${AUTOPILOT_CONSUL_BIN:-$(bash scripts/setup-consul.sh | tail -n 1)}"
AUTOPILOT_CONSUL_TEMPLATE_BIN="${AUTOPILOT_CONSUL_TEMPLATE_BIN:-$(bash scripts/setup-consul-template.sh | tail -n 1)}"
AUTOPILOT_ACTIONLINT_BIN="${AUTOPILOT_ACTIONLINT_BIN:-$(bash scripts/setup-actionlint.sh | tail -n 1)}"
export AUTOPILOT_CONSUL_BIN AUTOPILOT_CONSUL_TEMPLATE_BIN AUTOPILOT_ACTIONLINT_BIN

npm run --silent lint:structure
npm run --silent build:binary
exec node --test --test-concurrency=2 dist/
