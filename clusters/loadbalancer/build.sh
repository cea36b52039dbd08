#!/usr/bin/env bash
# clusters/loadbalancer/build.sh - build MetalLB's controller and speaker images locally.
#
# What: `go install`s the commands ./controller and ./speaker of the Go module
# go.universe.tf/metallb at METALLB_VERSION (static, CGO off) and wraps each in a
# FROM-scratch image tagged without a registry host:
#   kube-netconform/metallb-controller:<version>-<key>
#   kube-netconform/metallb-speaker:<version>-<key>
# Why: the kind clusters get a LoadBalancer implementation (MetalLB in layer-2 mode,
# see docs/loadbalancer.md) and the machine reaches no container registry, only the
# Go module proxy. MetalLB v0.15.2's go.mod has no local replace, so no wrapper module
# is needed; its frr-k8s dependency (API types only) v0.0.20 is served by the proxy
# (v0.16.x needs frr-k8s v0.0.27, which the proxy refuses).
#
# Cache: binaries in $CACHE/loadbalancer/<key>/bin, <key> = first 16 hex digits of a
# SHA-256 over this script and the version line; a .complete stamp marks a finished
# directory (built in a temporary directory, renamed into place, under a flock).
# Images carry the label knc.key=<key>; a warm run only inspects that label.
# CACHE=${KNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-netconform}.
#
# Usage: build.sh              build if needed; stdout: METALLB_CONTROLLER_IMAGE=<tag>
#                              and METALLB_SPEAKER_IMAGE=<tag> (and METALLB_MODULE_DIR=<dir>,
#                              the module source in GOMODCACHE, where install.sh takes the CRDs)
#        build.sh --print-key  print METALLB_KEY=<key>, no build
# Env:   METALLB_VERSION (default below), KNC_CACHE_DIR, KNC_BUILD_JOBS (go build -p, default 2)
# Progress goes to stderr as "[loadbalancer] ... (Ns)".
set -euo pipefail

METALLB_MODULE=go.universe.tf/metallb
METALLB_VERSION=${METALLB_VERSION:-v0.15.2}
SCRIPT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)/$(basename -- "${BASH_SOURCE[0]}")
CACHE=${KNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-netconform}
ROOT="$CACHE/loadbalancer"
JOBS=${KNC_BUILD_JOBS:-2}
PREFIX=kube-netconform

log() { printf '[loadbalancer] %s (%ds)\n' "$*" "$SECONDS" >&2; }
die() { printf '[loadbalancer] ERROR: %s\n' "$*" >&2; exit 1; }

KEY=$({ printf '%s@%s\n' "$METALLB_MODULE" "$METALLB_VERSION"; cat "$SCRIPT"; } | sha256sum | cut -c1-16)
case "${1:-}" in
  "") ;;
  --print-key) printf 'METALLB_KEY=%s\n' "$KEY"; exit 0 ;;
  -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$SCRIPT" >&2; exit 0 ;;
  *) die "unknown argument: $1 (see --help)" ;;
esac

command -v go >/dev/null || die "no 'go' on PATH (see docs/offline-toolchain.md)"
if ! command -v docker >/dev/null || ! docker info >/dev/null 2>&1; then
  die "docker is not running; run clusters/host/prepare.sh first"
fi
export GOTOOLCHAIN=${GOTOOLCHAIN:-local} CGO_ENABLED=0
DEST="$ROOT/$KEY"
TAG_VERSION="${METALLB_VERSION#v}-${KEY:0:8}"
CONTROLLER_IMAGE="$PREFIX/metallb-controller:$TAG_VERSION"
SPEAKER_IMAGE="$PREFIX/metallb-speaker:$TAG_VERSION"

# 1. binaries
mkdir -p "$ROOT"
if [[ ! -f "$DEST/.complete" ]]; then
  exec 9>"$ROOT/.$KEY.lock"
  flock 9
fi
if [[ ! -f "$DEST/.complete" ]]; then
  work=$(mktemp -d "$ROOT/.build-$KEY.XXXXXX")
  trap 'rm -rf -- "$work"' EXIT
  log "go install $METALLB_MODULE/{controller,speaker}@$METALLB_VERSION ($(go env GOVERSION))"
  if ! GOBIN="$work/bin" go install -p "$JOBS" -trimpath -ldflags "-s -w" \
    "$METALLB_MODULE/controller@$METALLB_VERSION" "$METALLB_MODULE/speaker@$METALLB_VERSION" \
    >"$work/build.log" 2>&1; then
    grep -v '^go: downloading' "$work/build.log" | tail -n 30 >&2
    die "building MetalLB $METALLB_VERSION from the Go module proxy failed"
  fi
  for b in controller speaker; do
    [[ -x "$work/bin/$b" ]] || die "go install produced no $b"
  done
  (cd "$work/bin" && sha256sum controller speaker) >"$work/SHA256SUMS"
  printf 'key=%s module=%s@%s go=%s built=%s\n' "$KEY" "$METALLB_MODULE" "$METALLB_VERSION" \
    "$(go env GOVERSION)" "$(date -u +%FT%TZ)" >"$work/.complete"
  rm -f "$work/build.log"
  rm -rf -- "$DEST"
  mv "$work" "$DEST"
  trap - EXIT
  log "built into $DEST/bin"
else
  log "binaries cached: $DEST/bin"
fi

# 2. images: FROM scratch, the static binary, a passwd/group and the CA bundle.
image_key() { docker image inspect -f '{{index .Config.Labels "knc.key"}}' "$1" 2>/dev/null || true; }
build_image() {
  local tag=$1 bin=$2 ctx
  if [[ "$(image_key "$tag")" == "$KEY" ]]; then
    log "image $tag: cached"
    return 0
  fi
  ctx=$(mktemp -d "$ROOT/.img.XXXXXX")
  mkdir -p "$ctx/rootfs/etc/ssl/certs" "$ctx/rootfs/tmp"
  chmod 1777 "$ctx/rootfs/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$ctx/rootfs/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$ctx/rootfs/etc/group"
  [[ -f /etc/ssl/certs/ca-certificates.crt ]] && cp /etc/ssl/certs/ca-certificates.crt "$ctx/rootfs/etc/ssl/certs/"
  cp "$DEST/bin/$bin" "$ctx/rootfs/$bin"
  printf 'FROM scratch\nCOPY rootfs/ /\nENTRYPOINT ["/%s"]\n' "$bin" >"$ctx/Dockerfile"
  if ! DOCKER_BUILDKIT=0 docker build -q --label "knc.key=$KEY" --label "knc.role=loadbalancer" \
    -t "$tag" "$ctx" >/dev/null 2>"$ctx/err"; then
    cat "$ctx/err" >&2
    rm -rf -- "$ctx"
    die "docker build of $tag failed"
  fi
  rm -rf -- "$ctx"
  log "image $tag: built"
}
build_image "$CONTROLLER_IMAGE" controller
build_image "$SPEAKER_IMAGE" speaker

MODULE_DIR=$(go mod download -json "$METALLB_MODULE@$METALLB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[[ -d "$MODULE_DIR/config/crd/bases" ]] || die "no config/crd/bases in the module source ($MODULE_DIR)"
printf 'METALLB_CONTROLLER_IMAGE=%s\nMETALLB_SPEAKER_IMAGE=%s\nMETALLB_MODULE_DIR=%s\n' \
  "$CONTROLLER_IMAGE" "$SPEAKER_IMAGE" "$MODULE_DIR"
