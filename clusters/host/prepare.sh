#!/usr/bin/env bash
# clusters/host/prepare.sh — make this machine able to run real kind clusters
# without any container registry.
#
# What it does (idempotent; run as root):
#   * installs missing Debian packages (the Docker engine, containerd, runc,
#     debootstrap, jq, iptables, busybox-static, Java for the report, Chromium
#     to look at it, ...) with apt;
#   * raises the kernel knobs kind nodes need (inotify limits) where writable;
#   * detects the "privileged container" quirk: a capability bounding set
#     without CAP_SYS_RESOURCE (bit 24) makes every `docker run --privileged`
#     fail. Only then it installs clusters/host/runc-caps-wrapper into
#     $CACHE/bin and registers it as dockerd's default runtime;
#   * starts dockerd in the background if it is not running (no systemd is
#     assumed), log in $CACHE/dockerd.log, pid in $CACHE/dockerd.pid;
#   * verifies that a privileged container of a locally built image runs.
#
# Usage:
#   prepare.sh              prepare (install, start, verify)
#   prepare.sh --check      report readiness only, change nothing (exit 1 if not ready)
#   prepare.sh --check-ipvs exit 0 if the kernel can run kube-proxy in IPVS mode,
#                           exit 2 (with a one-line reason on stderr) if not
# Progress goes to stderr, prefixed with [host].
set -euo pipefail

CACHE="${KNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-netconform}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNTIME_NAME="knc-runc"
WRAPPER_SRC="$HERE/runc-caps-wrapper"
WRAPPER="$CACHE/bin/runc-caps-wrapper"
PIDFILE="$CACHE/dockerd.pid"
LOG="$CACHE/dockerd.log"
SMOKE_IMAGE="kube-netconform/smoke:busybox"
# Debian's Docker engine package, selected by an apt name pattern; installed only when no
# dockerd is present (a machine with Docker's own packages keeps them).
DOCKER_ENGINE_PACKAGE='?name(^docker\.io$)'
PACKAGES=(containerd runc debootstrap jq iptables busybox-static curl ca-certificates procps iproute2 kmod)
INOTIFY_INSTANCES=8192
INOTIFY_WATCHES=1048576

log() { echo "[host] $*" >&2; }
die() { echo "[host] ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- detection
# True when the bounding set lacks CAP_SYS_RESOURCE (capability number 24).
caps_quirk() {
  local bnd
  bnd="$(awk '/^CapBnd:/ {print $2}' /proc/self/status)"
  [[ -n "$bnd" ]] || return 1
  (( (16#$bnd & (1 << 24)) == 0 ))
}

# Prints the reason on stderr and returns 2 when IPVS is unavailable.
check_ipvs() {
  if [[ -e /proc/net/ip_vs ]]; then return 0; fi
  if command -v modprobe >/dev/null 2>&1 && modprobe -n -q ip_vs 2>/dev/null \
     && [[ -d "/lib/modules/$(uname -r)" ]]; then
    # Loadable, just not loaded yet: load it when allowed, kube-proxy needs it.
    modprobe -q ip_vs 2>/dev/null && [[ -e /proc/net/ip_vs ]] && return 0
  fi
  echo "[host] IPVS unavailable: kernel $(uname -r) has no /proc/net/ip_vs and no loadable ip_vs module, so kube-proxy cannot run in IPVS mode on this host (the ipvs profile runs in a QEMU guest instead)" >&2
  return 2
}

docker_up() { docker info >/dev/null 2>&1; }
default_runtime() { docker info --format '{{.DefaultRuntime}}' 2>/dev/null || true; }
missing_packages() {
  local p
  command -v dockerd >/dev/null 2>&1 || echo "$DOCKER_ENGINE_PACKAGE"
  # Java runs the Allure report generator (allure-commandline); any Java will do.
  command -v java >/dev/null 2>&1 || [[ -x ${JAVA_HOME:-/nonexistent}/bin/java ]] || echo default-jre-headless
  # Headless Chromium opens the HTML report in the self-test (reports/browser/); any will do.
  command -v chromium >/dev/null 2>&1 || [[ -x ${KNC_CHROMIUM:-/nonexistent} ]] || echo chromium
  for p in "${PACKAGES[@]}"; do
    # A machine with Docker's own packages (containerd.io) already has these commands; installing
    # Debian's packages over them would conflict.
    case $p in containerd | runc) command -v "$p" >/dev/null 2>&1 && continue ;; esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}
our_dockerd_pid() { # prints the pid if the running dockerd was started by this script
  local pid
  [[ -f "$PIDFILE" ]] || return 1
  pid="$(cat "$PIDFILE")"
  [[ -n "$pid" && -d "/proc/$pid" ]] || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]] || return 1
  echo "$pid"
}

# ---------------------------------------------------------------- --check
check() {
  local ok=0 missing rt
  missing="$(missing_packages | tr '\n' ' ')"
  if [[ -n "${missing// }" ]]; then log "missing packages: $missing"; ok=1; else log "packages: ok"; fi
  for k in max_user_instances:$INOTIFY_INSTANCES max_user_watches:$INOTIFY_WATCHES; do
    local v; v="$(cat "/proc/sys/fs/inotify/${k%%:*}" 2>/dev/null || echo 0)"
    if (( v < ${k#*:} )); then log "fs.inotify.${k%%:*}=$v (want >= ${k#*:})"; ok=1; fi
  done
  if caps_quirk; then
    log "quirk: CAP_SYS_RESOURCE missing from the capability bounding set (runc wrapper needed)"
    [[ -x "$WRAPPER" ]] && cmp -s "$WRAPPER_SRC" "$WRAPPER" || { log "runc wrapper not installed (or outdated) at $WRAPPER"; ok=1; }
  else
    log "capability bounding set complete: no runc wrapper needed"
  fi
  if docker_up; then
    rt="$(default_runtime)"
    log "docker: running (server $(docker version --format '{{.Server.Version}}' 2>/dev/null), client $(docker version --format '{{.Client.Version}}' 2>/dev/null), default runtime $rt)"
    if caps_quirk && [[ "$rt" != "$RUNTIME_NAME" ]]; then
      log "docker is running WITHOUT the runc wrapper: privileged containers (kind nodes) will fail"; ok=1
    fi
  else
    log "docker: not running"; ok=1
  fi
  check_ipvs 2>/dev/null && log "ipvs: available" || log "ipvs: unavailable (the ipvs profile runs in a QEMU guest: docs/ipvs-lane.md)"
  if (( ok == 0 )); then log "ready"; else log "NOT ready (run clusters/host/prepare.sh)"; fi
  return $ok
}

# ---------------------------------------------------------------- prepare
install_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  (( ${#missing[@]} == 0 )) && { log "packages already installed"; return 0; }
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    log "apt-get install failed; running apt-get update once and retrying"
    apt-get update >&2
    apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
}

set_sysctls() {
  local name want cur f
  for kv in fs.inotify.max_user_instances=$INOTIFY_INSTANCES fs.inotify.max_user_watches=$INOTIFY_WATCHES; do
    name="${kv%%=*}"; want="${kv#*=}"; f="/proc/sys/${name//.//}"
    cur="$(cat "$f" 2>/dev/null || echo 0)"
    if (( cur >= want )); then continue; fi
    if echo "$want" >"$f" 2>/dev/null; then log "set $name=$want (was $cur)"
    else log "WARNING: cannot raise $name (is $cur); kind nodes may run out of inotify handles"; fi
  done
  # kind nodes forward traffic between pods; Docker normally turns this on too.
  [[ "$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null)" == 1 ]] || echo 1 >/proc/sys/net/ipv4/ip_forward 2>/dev/null || true
}

install_wrapper() {
  mkdir -p "$CACHE/bin"
  if ! cmp -s "$WRAPPER_SRC" "$WRAPPER"; then
    install -m 0755 "$WRAPPER_SRC" "$WRAPPER"
    log "installed runc wrapper at $WRAPPER"
  fi
}

start_dockerd() {
  local args=() pid
  if caps_quirk; then args+=(--add-runtime "$RUNTIME_NAME=$WRAPPER" --default-runtime "$RUNTIME_NAME"); fi
  mkdir -p "$CACHE"
  log "starting dockerd ${args[*]} (log: $LOG)"
  echo "=== $(date -Is) prepare.sh starts dockerd ${args[*]}" >>"$LOG"
  setsid -f dockerd "${args[@]}" </dev/null >>"$LOG" 2>&1
  for _ in $(seq 1 120); do
    if docker_up; then break; fi
    sleep 0.5
  done
  docker_up || die "dockerd did not answer within 60 s; see $LOG"
  pid="$(cat /var/run/docker.pid 2>/dev/null || pgrep -xo dockerd || true)"
  [[ -n "$pid" ]] && echo "$pid" >"$PIDFILE"
  log "dockerd running (pid ${pid:-?})"
}

stop_our_dockerd() {
  local pid="$1"
  log "stopping dockerd pid $pid (started by prepare.sh) to restart it with the runc wrapper"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do [[ -d "/proc/$pid" ]] || break; sleep 0.5; done
  [[ -d "/proc/$pid" ]] && die "dockerd pid $pid did not stop"
  rm -f "$PIDFILE"
}

ensure_dockerd() {
  local rt pid
  if docker_up; then
    rt="$(default_runtime)"
    if caps_quirk && [[ "$rt" != "$RUNTIME_NAME" ]]; then
      if pid="$(our_dockerd_pid)"; then
        stop_our_dockerd "$pid"
        start_dockerd
      else
        die "dockerd is running WITHOUT the runc wrapper (default runtime '$rt') and it was not started by this script; privileged containers will fail. Restart it with: --add-runtime $RUNTIME_NAME=$WRAPPER --default-runtime $RUNTIME_NAME"
      fi
    else
      log "dockerd already running (default runtime $rt)"
    fi
  else
    start_dockerd
  fi
}

smoke_test() {
  local tmp out
  if ! docker image inspect "$SMOKE_IMAGE" >/dev/null 2>&1; then
    tmp="$(mktemp -d)"
    mkdir -p "$tmp/bin"
    cp /bin/busybox "$tmp/bin/busybox"
    ln -s busybox "$tmp/bin/sh"
    tar -C "$tmp" -c . | docker import -c 'CMD ["/bin/sh"]' - "$SMOKE_IMAGE" >/dev/null
    rm -rf "$tmp"
    log "built $SMOKE_IMAGE with docker import (no registry)"
  fi
  out="$(docker run --rm --privileged "$SMOKE_IMAGE" /bin/busybox sh -c 'grep CapEff /proc/self/status')" \
    || die "docker run --privileged failed; see $LOG"
  log "docker run --privileged works ($out)"
  log "docker client $(docker version --format '{{.Client.Version}} (API {{.Client.APIVersion}})') talks to server $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
}

main() {
  case "${1:-}" in
    --check) check; exit $? ;;
    --check-ipvs) check_ipvs; exit $? ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    "") ;;
    *) die "unknown argument: $1" ;;
  esac
  [[ $(id -u) == 0 ]] || die "run as root"
  install_packages
  set_sysctls
  if caps_quirk; then
    log "quirk detected: CAP_SYS_RESOURCE missing from the capability bounding set; using runc wrapper"
    install_wrapper
  fi
  ensure_dockerd
  smoke_test
  log "ready"
}

main "$@"
