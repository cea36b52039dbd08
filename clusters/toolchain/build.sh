#!/usr/bin/env bash
# clusters/toolchain/build.sh - build kube-netconform's offline cluster toolchain.
#
# What: builds every binary a kind cluster needs - kind, the Kubernetes commands
# (kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy, kubelet,
# kubeadm, kubectl), etcd + etcdctl, coredns, flanneld + the flannel CNI plugin, and
# a small pause program - from Go modules (plus pause.c with gcc), at the versions
# pinned in clusters/versions.env.
#
# Why: the machines this project runs on reach the Go module proxy but no container
# registry, so node and component images must be assembled from locally built
# binaries. k8s.io/kubernetes and etcd cannot be `go install`ed directly (their go.mod
# replaces sibling modules with local paths); they are built through generated
# wrapper modules that replace those siblings with their published versions.
#
# Output: $CACHE/toolchain/<key>/bin, CACHE=${KNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-netconform}.
# <key> is a hash of clusters/versions.env and every file in clusters/toolchain/, so
# any change of version or recipe builds a new directory. A finished directory holds
# a .complete stamp (written before the atomic rename into place); when it exists the
# script only prints the path. GOCACHE and GOMODCACHE stay at Go's defaults, so a
# fresh clone on the same machine reuses them.
#
# Usage: build.sh            build if needed; stdout: exactly one line TOOLCHAIN_BIN=<dir>
#        build.sh --check    exit 0 if the cache is complete, 1 otherwise
#        build.sh --print-key  print TOOLCHAIN_KEY=<key> and TOOLCHAIN_BIN=<dir>, no build
# Env:   KNC_CACHE_DIR (cache root), KNC_BUILD_JOBS (go build -p, default 2).
# Progress goes to stderr as "[toolchain] ... (Ns)".
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
CLUSTERS_DIR=$(dirname -- "$SCRIPT_DIR")
VERSIONS_FILE="$CLUSTERS_DIR/versions.env"
CACHE=${KNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-netconform}
TOOLCHAIN_ROOT="$CACHE/toolchain"
JOBS=${KNC_BUILD_JOBS:-2}

KUBE_COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubelet kubeadm kubectl)
BINARIES=(kind "${KUBE_COMMANDS[@]}" etcd etcdctl coredns flanneld flannel pause)

log() { printf '[toolchain] %s (%ds)\n' "$*" "$SECONDS" >&2; }
die() { printf '[toolchain] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
}

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --print-key) mode=print-key ;;
  -h | --help) usage; exit 0 ;;
  *) usage; exit 2 ;;
esac

[[ -f "$VERSIONS_FILE" ]] || die "missing $VERSIONS_FILE"
# shellcheck source=SCRIPTDIR/../versions.env
source "$VERSIONS_FILE"
if [[ -n "${CRICTL_VERSION:-}" ]]; then
  BINARIES+=(crictl)
fi

# The key: hash of versions.env and of the recipe (every file under toolchain/).
compute_key() {
  local f
  (
    cd "$CLUSTERS_DIR"
    {
      printf '%s\n' versions.env
      find toolchain -type f | LC_ALL=C sort
    } | while IFS= read -r f; do
      printf '%s\n' "$f"
      sha256sum <"$f"
    done
  ) | sha256sum | cut -c1-16
}

KEY=$(compute_key)
DEST="$TOOLCHAIN_ROOT/$KEY"

is_complete() {
  local dir=$1 b
  [[ -f "$dir/.complete" ]] || return 1
  for b in "${BINARIES[@]}"; do
    [[ -x "$dir/bin/$b" ]] || return 1
  done
}

case "$mode" in
  print-key)
    printf 'TOOLCHAIN_KEY=%s\nTOOLCHAIN_BIN=%s\n' "$KEY" "$DEST/bin"
    exit 0
    ;;
  check)
    is_complete "$DEST" && exit 0
    exit 1
    ;;
esac

if is_complete "$DEST"; then
  log "cached: $DEST/bin"
  printf 'TOOLCHAIN_BIN=%s\n' "$DEST/bin"
  exit 0
fi

# ---------------------------------------------------------------------------
# Build path from here on.

mkdir -p "$TOOLCHAIN_ROOT"
exec 9>"$TOOLCHAIN_ROOT/.$KEY.lock"
if ! flock -n 9; then
  log "another build of $KEY is running; waiting for its lock"
  flock 9
fi
if is_complete "$DEST"; then
  log "cached (built by a concurrent run): $DEST/bin"
  printf 'TOOLCHAIN_BIN=%s\n' "$DEST/bin"
  exit 0
fi

WORK=$(mktemp -d "$TOOLCHAIN_ROOT/.build-$KEY.XXXXXX")
cleanup() { rm -rf -- "$WORK"; }
trap cleanup EXIT
OUT="$WORK/out"
BIN="$OUT/bin"
mkdir -p "$BIN"
TIMES="$OUT/build-times.txt"
: >"$TIMES"

# version_ge A B: true if version A >= B (plain dotted numbers).
version_ge() {
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

# Pick the Go toolchain. The local go is used when new enough; otherwise, when it can
# switch toolchains (>= 1.21), GOTOOLCHAIN makes it fetch go$GO_TOOLCHAIN_VERSION from
# the Go module proxy (module golang.org/toolchain).
setup_go() {
  if ! command -v go >/dev/null 2>&1; then
    die "no 'go' on PATH. Install Go >= $GO_MIN_VERSION (or any Go >= 1.21, which this script" \
      "then uses to fetch go$GO_TOOLCHAIN_VERSION from the Go module proxy) and put it on PATH." \
      "Debian bookworm's golang-go (1.19) is too old."
  fi
  local have
  have=$(GOTOOLCHAIN=local go env GOVERSION)
  have=${have#go}
  if version_ge "$have" "$GO_MIN_VERSION"; then
    export GOTOOLCHAIN=local
  elif version_ge "$have" 1.21; then
    log "go $have is older than $GO_MIN_VERSION: using go$GO_TOOLCHAIN_VERSION via GOTOOLCHAIN"
    export GOTOOLCHAIN="go$GO_TOOLCHAIN_VERSION"
  else
    die "go $have on PATH is too old (need >= $GO_MIN_VERSION, or >= 1.21 to fetch go$GO_TOOLCHAIN_VERSION)"
  fi
  export CGO_ENABLED=0
  GO_VERSION=$(go env GOVERSION)
  log "using $GO_VERSION ($(command -v go)), GOCACHE=$(go env GOCACHE), GOMODCACHE=$(go env GOMODCACHE)"
}

# run_logged NAME CMD...: run CMD with output in $WORK/NAME.log; show its tail on failure.
run_logged() {
  local name=$1
  shift
  if ! "$@" >>"$WORK/$name.log" 2>&1; then
    tail -n 40 "$WORK/$name.log" >&2
    die "$name: '$*' failed (full log above, last 40 lines)"
  fi
}

PART_START=0
part_begin() {
  PART_START=$SECONDS
  log "building $*..."
}
part_end() {
  local name=$1 took=$((SECONDS - PART_START))
  printf '%s %d\n' "$name" "$took" >>"$TIMES"
  log "built $name in ${took}s"
}

# go_install_as NAME PKG@VERSION [LDFLAGS]: go install one command, saved as $BIN/NAME.
go_install_as() {
  local name=$1 pkg=$2 ldflags=${3:-} gobin="$WORK/gobin-$1"
  mkdir -p "$gobin"
  run_logged "$name" env GOBIN="$gobin" go install -p "$JOBS" -trimpath -ldflags "-s -w $ldflags" "$pkg"
  local built=("$gobin"/*)
  [[ ${#built[@]} -eq 1 && -x "${built[0]}" ]] || die "$name: expected one binary in $gobin"
  mv -- "${built[0]}" "$BIN/$name"
}

# mod_field MODULE@VERSION FIELD: a string field of `go mod download -json`.
mod_field() {
  local json
  json=$(go mod download -json "$1") || die "go mod download $1 failed"
  sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",\{0,1\}\$/\\1/p" <<<"$json"
}

# local_replaces GOMOD VERSION: for each replace in GOMOD that points at a local
# directory (a sibling module in the same repository), print a replace line that
# points at the published module at VERSION instead. Deliberately broken
# "FORBIDDEN_DEPENDENCY" replaces are skipped.
local_replaces() {
  awk -v ver="$2" '
    function emit(s,   n, f, i, arrow, target, mod) {
      sub(/\/\/.*/, "", s)
      n = split(s, f, /[ \t]+/)
      for (i = 1; i <= n; i++) if (f[i] == "=>") arrow = i
      if (!arrow) return
      target = f[arrow + 1]
      if (target !~ /^\.\.?\// || target ~ /FORBIDDEN_DEPENDENCY/) return
      mod = (f[1] == "") ? f[2] : f[1]
      printf "\t%s => %s %s\n", mod, mod, ver
    }
    /^replace[ \t]*\(/ { blk = 1; next }
    blk && /^[ \t]*\)/ { blk = 0; next }
    blk { emit($0); next }
    /^replace[ \t]/ { s = $0; sub(/^replace[ \t]+/, "", s); emit(s) }
  ' "$1"
}

# make_wrapper DIR REPLACES REQUIRE... ; PKGS in the global WRAPPER_PKGS array.
# Writes a module that requires REQUIRE (module@version), applies REPLACES, and
# blank-imports WRAPPER_PKGS from a tools-tagged file so `go mod tidy` records them.
make_wrapper() {
  local dir=$1 replaces=$2 req p
  shift 2
  mkdir -p "$dir"
  {
    printf 'module kube-netconform.invalid/toolchain/%s\n\ngo 1.24\n\nrequire (\n' "$(basename "$dir")"
    for req in "$@"; do
      printf '\t%s %s\n' "${req%@*}" "${req##*@}"
    done
    printf ')\n\nreplace (\n%s\n)\n' "$replaces"
  } >"$dir/go.mod"
  {
    printf '//go:build tools\n\n// Generated by clusters/toolchain/build.sh.\npackage tools\n\nimport (\n'
    for p in "${WRAPPER_PKGS[@]}"; do
      printf '\t_ "%s"\n' "$p"
    done
    printf ')\n'
  } >"$dir/tools.go"
}

build_pause() {
  part_begin "pause $PAUSE_VERSION (gcc -static)"
  command -v gcc >/dev/null 2>&1 || die "gcc is needed for pause (apt-get install gcc libc6-dev)"
  run_logged pause gcc -static -Os -Wall -Wextra -Werror \
    -DKNC_PAUSE_VERSION="\"$PAUSE_VERSION\"" -o "$BIN/pause" "$SCRIPT_DIR/pause.c"
  run_logged pause strip "$BIN/pause"
  part_end pause
}

build_kind() {
  part_begin "kind $KIND_VERSION"
  go_install_as kind "sigs.k8s.io/kind@$KIND_VERSION"
  part_end kind
}

build_kubernetes() {
  part_begin "kube-* $KUBERNETES_VERSION"
  local v=$KUBERNETES_VERSION gomod time major minor staging ldflags="" p c
  gomod=$(mod_field "k8s.io/kubernetes@$v" GoMod)
  [[ -f "$gomod" ]] || die "no go.mod for k8s.io/kubernetes@$v"
  # Staging modules k8s.io/<name> are published as v0.<minor>.<patch> for v1.<minor>.<patch>.
  staging="v0.${v#v1.}"
  major=${v#v}
  major=${major%%.*}
  minor=${v#v*.}
  minor=${minor%%.*}
  # A reproducible build date: the release's commit time from the module proxy.
  time=$(go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' "k8s.io/kubernetes@$v")
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor"
    ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=$time"
  done
  WRAPPER_PKGS=()
  for c in "${KUBE_COMMANDS[@]}"; do
    WRAPPER_PKGS+=("k8s.io/kubernetes/cmd/$c")
  done
  local dir="$WORK/kubernetes"
  make_wrapper "$dir" "$(local_replaces "$gomod" "$staging")" "k8s.io/kubernetes@$v"
  (cd "$dir" && run_logged kubernetes go mod tidy)
  (cd "$dir" && run_logged kubernetes go build -p "$JOBS" -trimpath -ldflags "-s -w$ldflags" \
    -o "$BIN/" "${WRAPPER_PKGS[@]}")
  part_end kubernetes
}

build_etcd() {
  part_begin "etcd + etcdctl $ETCD_VERSION"
  local v=$ETCD_VERSION replaces m
  replaces=$(
    for m in go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3; do
      local_replaces "$(mod_field "$m@$v" GoMod)" "$v"
    done | LC_ALL=C sort -u
  )
  WRAPPER_PKGS=(go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3)
  local dir="$WORK/etcd"
  make_wrapper "$dir" "$replaces" "go.etcd.io/etcd/server/v3@$v" "go.etcd.io/etcd/etcdctl/v3@$v"
  (cd "$dir" && run_logged etcd go mod tidy)
  (cd "$dir" && run_logged etcd go build -p "$JOBS" -trimpath -ldflags "-s -w" \
    -o "$BIN/etcd" go.etcd.io/etcd/server/v3)
  (cd "$dir" && run_logged etcd go build -p "$JOBS" -trimpath -ldflags "-s -w" \
    -o "$BIN/etcdctl" go.etcd.io/etcd/etcdctl/v3)
  part_end etcd
}

build_coredns() {
  part_begin "coredns $COREDNS_VERSION"
  go_install_as coredns "github.com/coredns/coredns@$COREDNS_VERSION"
  part_end coredns
}

build_flannel() {
  part_begin "flanneld $FLANNEL_VERSION + flannel CNI plugin $FLANNEL_CNI_PLUGIN_VERSION"
  local replaces="" sub dir="$WORK/flannel"
  for sub in $FLANNEL_SUBSTITUTES; do
    replaces+=$(printf '\t%s => %s %s' "${sub%@*}" "${sub%@*}" "${sub##*@}")$'\n'
  done
  WRAPPER_PKGS=(github.com/flannel-io/flannel)
  make_wrapper "$dir" "$replaces" "github.com/flannel-io/flannel@$FLANNEL_VERSION"
  (cd "$dir" && run_logged flanneld go mod tidy)
  # flannel's UDP backend needs cgo on amd64 (as upstream builds it): link it
  # statically, with the pure-Go resolver and user lookup.
  (cd "$dir" && run_logged flanneld env CGO_ENABLED=1 go build -p "$JOBS" -trimpath \
    -tags netgo,osusergo -o "$BIN/flanneld" \
    -ldflags "-s -w -linkmode external -extldflags -static -X github.com/flannel-io/flannel/pkg/version.Version=$FLANNEL_VERSION" \
    github.com/flannel-io/flannel)
  go_install_as flannel "$FLANNEL_CNI_PLUGIN_MODULE@$FLANNEL_CNI_PLUGIN_VERSION"
  part_end flannel
}

build_crictl() {
  part_begin "crictl $CRICTL_VERSION"
  go_install_as crictl "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION" \
    "-X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION"
  part_end crictl
}

# expect NAME PATTERN CMD...: CMD's combined output must contain PATTERN.
expect() {
  local name=$1 pattern=$2 out
  shift 2
  out=$("$@" 2>&1) || die "verify $name: '$*' failed: $out"
  [[ "$out" == *"$pattern"* ]] || die "verify $name: '$*' printed '$out', expected '$pattern'"
}

verify() {
  log "verifying binaries"
  local b=$BIN k=$KUBERNETES_VERSION images got pid rc=0
  got=$("$b/kubeadm" version -o short)
  [[ "$got" == "$k" ]] || die "kubeadm version -o short is '$got', expected $k"
  for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubelet; do
    expect "$c" "Kubernetes $k" "$b/$c" --version
  done
  expect kubectl "$k" "$b/kubectl" version --client
  expect etcd "etcd Version: ${ETCD_VERSION#v}" "$b/etcd" --version
  expect etcdctl "etcdctl version: ${ETCD_VERSION#v}" "$b/etcdctl" version
  expect coredns "CoreDNS-${COREDNS_VERSION#v}" "$b/coredns" -version
  expect kind "kind $KIND_VERSION" "$b/kind" version
  expect flanneld "$FLANNEL_VERSION" "$b/flanneld" --version
  expect flannel '"supportedVersions"' env CNI_COMMAND=VERSION "$b/flannel"
  if [[ -x "$b/crictl" ]]; then
    expect crictl "${CRICTL_VERSION#v}" "$b/crictl" --version
  fi
  expect pause "$PAUSE_VERSION" "$b/pause" -v
  "$b/pause" 2>/dev/null &
  pid=$!
  sleep 0.2
  kill -TERM "$pid"
  wait "$pid" || rc=$?
  [[ $rc -eq 0 ]] || die "pause exited $rc on SIGTERM, expected 0"

  # versions.env must agree with the images kubeadm asks for.
  images=$("$b/kubeadm" config images list --kubernetes-version "$k")
  for got in "etcd:$ETCD_IMAGE_TAG" "coredns:$COREDNS_VERSION" "pause:$PAUSE_VERSION"; do
    grep -q "/$got\$" <<<"$images" ||
      die "kubeadm $k wants other images than versions.env says ($got missing): $images"
  done
}

log "building toolchain $KEY into $DEST"
setup_go
build_pause
build_kind
build_kubernetes
build_etcd
build_coredns
build_flannel
if [[ -n "${CRICTL_VERSION:-}" ]]; then
  build_crictl
fi
verify

cp -- "$VERSIONS_FILE" "$OUT/versions.env"
(cd "$BIN" && sha256sum -- *) >"$OUT/SHA256SUMS"
printf 'total %d\n' "$SECONDS" >>"$TIMES"
{
  printf 'key=%s\n' "$KEY"
  printf 'go=%s\n' "$GO_VERSION"
  printf 'built=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$OUT/.complete"

# A directory without a stamp (an interrupted earlier run) is replaced.
rm -rf -- "$DEST"
mv -T -- "$OUT" "$DEST"
log "done: $DEST/bin"
printf 'TOOLCHAIN_BIN=%s\n' "$DEST/bin"
