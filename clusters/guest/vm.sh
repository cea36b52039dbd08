#!/usr/bin/env bash
# clusters/guest/vm.sh — run the IPVS lane's guest VM (built by clusters/guest/build.sh) under
# QEMU's software emulation, and drive it through its Docker API.
#
# Why software emulation: on this project's CI machine /dev/kvm is a paravirtual KVM without
# hardware virtualisation, under which a stock kernel never reaches userspace; TCG boots it in
# about a minute (docs/ipvs-lane.md).
#
# Usage:
#   vm.sh start <guest-dir> <vm-dir>        boot a throwaway copy-on-write overlay of the guest's
#                                           disk; prints DOCKER_HOST=, API_PORT=, QEMU_PID= once the
#                                           guest's Docker engine answers
#   vm.sh stop <vm-dir>                     stop that VM and remove <vm-dir>
#   vm.sh provision <guest-dir> <image>...  load host images the guest lacks into the guest's own
#                                           disk (booted read-write), remove the images it no
#                                           longer needs, then power it off cleanly; a stamp of
#                                           the image ids makes this a no-op when warm
#   vm.sh stage <docker-host> <src-dir> <guest-path>
#                                           copy a host directory into the guest's filesystem
# Environment: KNC_GUEST_MEMORY (MiB, default 6144), KNC_GUEST_CPUS (default 2),
#              KNC_GUEST_BOOT_TIMEOUT (s, default 600).
# The guest's network is QEMU's user-mode network with restrict=on: the guest reaches nothing,
# not even the host; only the two forwarded ports of the host's loopback reach into it.
set -euo pipefail

memory=${KNC_GUEST_MEMORY:-6144}
cpus=${KNC_GUEST_CPUS:-2}
boot_timeout=${KNC_GUEST_BOOT_TIMEOUT:-600}
# An image that has a shell and nsenter, loaded into the guest by provision.
tool_image=busybox:1.36.1

log() { printf '[guest] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# A TCP port of 127.0.0.1 nobody listens on.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found on 127.0.0.1"
}

# boot <guest-dir> <disk> <disk-format> <vm-dir>: starts QEMU in the background, waits for Docker.
boot() {
  local guest=$1 disk=$2 format=$3 vmdir=$4 docker_port api_port pid t0
  command -v qemu-system-x86_64 >/dev/null ||
    die "qemu-system-x86_64 not found (clusters/host/prepare.sh installs qemu-system-x86)"
  docker_port=$(free_port)
  api_port=$(free_port)
  [[ $api_port != "$docker_port" ]] || api_port=$(free_port)
  t0=$SECONDS
  qemu-system-x86_64 \
    -name knc-guest -accel tcg,thread=multi,tb-size=256 -cpu max -m "$memory" -smp "$cpus" \
    -display none -no-reboot -daemonize -pidfile "$vmdir/qemu.pid" \
    -kernel "$guest/vmlinuz" -initrd "$guest/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 apparmor=0 panic=-1" \
    -drive "file=$disk,if=virtio,format=$format,cache=unsafe" \
    -netdev "user,id=uplink,restrict=on,hostfwd=tcp:127.0.0.1:$docker_port-:2375,hostfwd=tcp:127.0.0.1:$api_port-:6443" \
    -device virtio-net-pci,netdev=uplink \
    -serial "file:$vmdir/console.log"
  pid=$(cat "$vmdir/qemu.pid")
  printf 'DOCKER_HOST=tcp://127.0.0.1:%s\nAPI_PORT=%s\nQEMU_PID=%s\n' "$docker_port" "$api_port" \
    "$pid" >"$vmdir/vm.env"
  log "QEMU pid $pid (console: $vmdir/console.log); waiting for the guest's Docker engine"
  until DOCKER_HOST=tcp://127.0.0.1:$docker_port docker version >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "QEMU exited while booting (see $vmdir/console.log)"
    ((SECONDS - t0 < boot_timeout)) ||
      die "the guest's Docker engine did not answer within ${boot_timeout} s (see $vmdir/console.log)"
    sleep 2
  done
  log "guest up: Docker answers after $((SECONDS - t0)) s"
}

# stop_vm <vm-dir>: power off (or kill) the VM and wait until QEMU is gone.
stop_vm() {
  local vmdir=$1 pid
  [[ -f $vmdir/qemu.pid ]] || return 0
  pid=$(cat "$vmdir/qemu.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$vmdir/qemu.pid"
}

# poweroff_clean <docker-host> <vm-dir>: systemd powers the guest off (disk flushed), QEMU exits.
poweroff_clean() {
  local dh=$1 vmdir=$2 pid
  pid=$(cat "$vmdir/qemu.pid")
  DOCKER_HOST=$dh docker run --rm --privileged --pid=host "$tool_image" \
    nsenter -t 1 -m -u -i -n -p -- /bin/systemctl poweroff >/dev/null 2>&1 || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 1
  done
  die "the guest did not power off within 300 s"
}

cmd=${1:-}
shift || true
case $cmd in
start)
  (($# == 2)) || die "usage: vm.sh start <guest-dir> <vm-dir>"
  guest=$1 vmdir=$2
  mkdir -p "$vmdir"
  # A guest that did not come up is not left running.
  trap 'rc=$?; if ((rc != 0)); then stop_vm "$vmdir"; rm -rf "$vmdir"; fi' EXIT
  qemu-img create -q -f qcow2 -F raw -b "$guest/disk.raw" "$vmdir/overlay.qcow2"
  boot "$guest" "$vmdir/overlay.qcow2" qcow2 "$vmdir"
  cat "$vmdir/vm.env"
  ;;
stop)
  (($# == 1)) || die "usage: vm.sh stop <vm-dir>"
  stop_vm "$1"
  rm -rf "$1"
  ;;
provision)
  (($# >= 2)) || die "usage: vm.sh provision <guest-dir> <image>..."
  guest=$1
  shift
  images=("$@" "$tool_image")
  stamp=$(for i in "${images[@]}"; do docker image inspect -f '{{.Id}}' "$i" || die "no image $i on the host"; done | sort -u | sha256sum | cut -c1-16)
  if [[ -f $guest/provisioned && $(cat "$guest/provisioned") == "$stamp" ]]; then
    log "guest disk already holds the images ($stamp)"
    exit 0
  fi
  vmdir=$(mktemp -d "${TMPDIR:-/tmp}/knc-guest-provision.XXXXXX")
  trap 'stop_vm "$vmdir"; rm -rf "$vmdir"' EXIT
  rm -f "$guest/provisioned"
  boot "$guest" "$guest/disk.raw" raw "$vmdir"
  # shellcheck disable=SC1091
  source "$vmdir/vm.env"
  missing=()
  for i in "${images[@]}"; do
    id=$(docker image inspect -f '{{.Id}}' "$i")
    if [[ $(DOCKER_HOST=$DOCKER_HOST docker image inspect -f '{{.Id}}' "$i" 2>/dev/null) != "$id" ]]; then
      missing+=("$i")
    fi
  done
  if ((${#missing[@]})); then
    t0=$SECONDS
    log "loading ${#missing[@]} image(s) into the guest: ${missing[*]} (slow under emulation)"
    docker save "${missing[@]}" | DOCKER_HOST=$DOCKER_HOST docker load >/dev/null
    log "loaded in $((SECONDS - t0)) s"
  fi
  # The disk is the base of every lane cluster: no container or network may be left on it, and
  # no image of an earlier provision (a node image that has since been rebuilt).
  containers=$(DOCKER_HOST=$DOCKER_HOST docker ps -aq)
  [[ -z $containers ]] || DOCKER_HOST=$DOCKER_HOST docker rm -f -v $containers >/dev/null
  DOCKER_HOST=$DOCKER_HOST docker network prune -f >/dev/null
  stale=$(DOCKER_HOST=$DOCKER_HOST docker image ls --filter dangling=false --format '{{.Repository}}:{{.Tag}}' |
    grep -vxF -f <(printf '%s\n' "${images[@]}") || true)
  if [[ -n $stale ]]; then
    log "removing image(s) no longer wanted: $(tr '\n' ' ' <<<"$stale")"
    # shellcheck disable=SC2086
    DOCKER_HOST=$DOCKER_HOST docker rmi $stale >/dev/null
    DOCKER_HOST=$DOCKER_HOST docker image prune -f >/dev/null
  fi
  poweroff_clean "$DOCKER_HOST" "$vmdir"
  echo "$stamp" >"$guest/provisioned"
  log "guest disk provisioned ($stamp)"
  ;;
stage)
  (($# == 3)) || die "usage: vm.sh stage <docker-host> <src-dir> <guest-path>"
  dh=$1 src=$2 dest=$3
  tar -C "$src" -cf - . | DOCKER_HOST=$dh docker run --rm -i -v "/:/guest" "$tool_image" \
    sh -c "mkdir -p '/guest$dest' && tar -C '/guest$dest' -xf -"
  ;;
*) die "usage: vm.sh start|stop|provision|stage ... (see the header of this file)" ;;
esac
