# Shared by scripts/setup-*.sh: build a tool from source once and cache it outside the repository.
# Source it, then:
#   cached_build_begin <label> <name> <version> <binary>   # prints the cached path and exits 0 when
#                                                          # present; else sets $dest and $work
#   run_build <command...>                                 # the build itself, interruptible
#   cached_build_finish <version args...>                  # checks $work/<binary>, renames it into place
# Two processes may ask at once: one builds, the other waits on the lock and reuses the result.
# An interrupted build leaves no half-written binary: it is built in $work, checked, then renamed.

cached_build_begin() {
  _label="$1"
  _binary="$4"
  local dest_dir="${AUTOPILOT_CACHE:-$HOME/.cache/autopilot}/$2-$3"
  dest="$dest_dir/$_binary"
  if [[ -x "$dest" ]]; then
    echo "$dest"
    exit 0
  fi
  command -v go >/dev/null || { echo "$_label: go is not installed (needed to build $2 $3)" >&2; exit 1; }
  mkdir -p "$dest_dir"
  exec 9>"$dest_dir/.lock"
  if command -v flock >/dev/null; then flock 9; fi
  if [[ -x "$dest" ]]; then
    echo "$dest"
    exit 0
  fi
  rm -rf "$dest_dir"/.build.* # left by an interrupted build; we hold the lock
  work="$(mktemp -d "$dest_dir/.build.XXXXXX")"
  _child=""
  trap 'rm -rf "$work"' EXIT
  # On interruption also stop the go command (it would otherwise keep building into $work).
  trap '[[ -n "$_child" ]] && kill "$_child" 2>/dev/null; exit 130' INT TERM HUP
  _start=$SECONDS
}

run_build() {
  ("$@") >&2 &
  _child=$!
  wait "$_child"
  _child=""
}

cached_build_finish() {
  "$work/$_binary" "$@" >&2
  chmod 755 "$work/$_binary"
  mv -f "$work/$_binary" "$dest"
  echo "$_label: built $dest in $((SECONDS - _start)) s" >&2
  echo "$dest"
}

# Downloads module@version through the module proxy; prints the path of its go.mod.
upstream_gomod() {
  local mod
  mod="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$1" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -f "$mod" ]] || { echo "$_label: could not download $1" >&2; exit 1; }
  echo "$mod"
}

# The directives of a go.mod that a module depending on it would ignore: its exclude lines and its
# non-local replace lines, one per line. A throw-away module that builds the tool copies them, since
# `go install module@version` refuses modules that have them. Comments and blank lines are dropped.
inherited_directives() {
  sed 's/[[:space:]]*\/\/.*$//' "$1" | awk '
    /^(replace|exclude)[[:space:]]*\($/ { block = $1; next }
    block != "" && /^[[:space:]]*\)$/ { block = ""; next }
    block != "" && /[^[:space:]]/ { line = block " " $0 }
    block == "" && /^(replace|exclude) / { line = $0 }
    line != "" && !(line ~ /^replace/ && line ~ /=>[[:space:]]*\.\.?\//) { print line }
    { line = "" }
  ' | sed 's/^\(replace\|exclude\)[[:space:]]\+/\1 /'
}
