#!/usr/bin/env bash
# clusters/guest/build.sh — build the guest VM of the IPVS lane: Debian's stock kernel, its
# initrd and a root disk with the Docker engine, made from Debian's archive only.
#
# Why: kube-proxy's IPVS mode needs the kernel's ip_vs modules and the dummy device. Where the
# host kernel lacks them (this project's CI machine), the ipvs profile runs kind inside a QEMU
# guest that boots Debian's own kernel (linux-image-amd64), which has both as modules. See
# docs/ipvs-lane.md.
#
# What: `debootstrap --variant=minbase` of bookworm with the kernel, systemd, the Docker engine,
# ipvsadm and ipset; the files of clusters/guest/rootfs/ laid over it (Docker listening on TCP
# inside the guest, the IPVS modules loaded at boot, DHCP on the uplink); then
#   $CACHE/guest/<key>/vmlinuz, initrd.img   taken from the rootfs's /boot
#   $CACHE/guest/<key>/disk.raw              a sparse ext4 image made with `mkfs.ext4 -d`
# The key is a hash of the recipe revision, the package list and the overlay files; a warm run only
# checks that the three files exist.
#
# Usage: clusters/guest/build.sh [--force]
# Prints on stdout: GUEST_DIR=<dir>   (progress on stderr, prefixed [guest])
# Needs: root, debootstrap, e2fsprogs (mkfs.ext4 with -d), sha256sum; installs QEMU when missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${KNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-netconform}
suite=bookworm
# shellcheck source=../lib/debian-mirror.sh
source "$here/../lib/debian-mirror.sh"
# Bump when the steps below change what ends up in the guest (the key also covers the package
# list, the disk size and the overlay files).
recipe_rev=1
# Room for the node image, the fixture images and a one-node cluster; the file is sparse.
disk_size=${KNC_GUEST_DISK_SIZE:-24G}
packages=(
  linux-image-amd64 initramfs-tools systemd systemd-sysv udev dbus
  docker.io containerd runc iptables ipset ipvsadm kmod iproute2 iputils-ping
  procps ca-certificates e2fsprogs
)

log() { printf '[guest] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

force=0
while (($#)); do
  case $1 in
  --force) force=1 ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 0
    ;;
  *) die "unknown argument $1" ;;
  esac
  shift
done

[[ $(id -u) -eq 0 ]] || die "debootstrap needs root"
# QEMU (with its firmware and the virtio network card's option ROM) and qemu-img, from Debian.
if ! command -v qemu-system-x86_64 >/dev/null || ! command -v qemu-img >/dev/null; then
  log "installing QEMU (qemu-system-x86, qemu-utils)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-system-x86 qemu-utils >&2 ||
    die "apt-get could not install qemu-system-x86 and qemu-utils"
fi
command -v debootstrap >/dev/null || die "debootstrap not found (clusters/host/prepare.sh installs it)"
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 not found (apt-get install e2fsprogs)"

key=$(
  {
    echo "recipe $recipe_rev"
    printf '%s\n' "${packages[@]}" "$disk_size"
    (cd "$here/rootfs" && find . -type f | LC_ALL=C sort | xargs sha256sum)
  } | sha256sum | cut -c1-12
)
out="$cache/guest/$key"
if ((force == 0)) && [[ -f $out/vmlinuz && -f $out/initrd.img && -f $out/disk.raw ]]; then
  log "cached: $out"
  echo "GUEST_DIR=$out"
  exit 0
fi

t0=$SECONDS
work="$cache/guest/work-$key"
rm -rf "$work" "$out"
mkdir -p "$work" "$cache/guest/debootstrap-debs"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
logf="$cache/guest/debootstrap.log"
log "debootstrap $suite with the stock kernel and Docker (log: $logf)"
include=$(
  IFS=,
  echo "${packages[*]}"
)
if ! debootstrap --variant=minbase --components=main --include="$include" \
  --cache-dir="$cache/guest/debootstrap-debs" \
  "$suite" "$rootfs" "$DEBIAN_MIRROR" >"$logf" 2>&1; then
  tail -n 20 "$logf" >&2
  die "debootstrap failed (see $logf)"
fi

log "overlay, services, kernel and initrd"
cp -a "$here/rootfs/." "$rootfs/"
cat >"$rootfs/etc/fstab" <<'EOF'
/dev/vda / ext4 rw,noatime 0 1
EOF
# No password, no console login needed: the host drives the guest through its Docker API.
ln -sf /lib/systemd/system/systemd-networkd.service \
  "$rootfs/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
# The guest never needs apt: leave no list behind, and no archive address in the image.
rm -rf "$rootfs/var/lib/apt/lists/"* "$rootfs/var/cache/apt/"*.bin
: >"$rootfs/etc/apt/sources.list"
vmlinuz=$(find "$rootfs/boot" -maxdepth 1 -name 'vmlinuz-*' | sort | tail -n1)
initrd=$(find "$rootfs/boot" -maxdepth 1 -name 'initrd.img-*' | sort | tail -n1)
[[ -n $vmlinuz && -n $initrd ]] || die "the kernel package left no vmlinuz/initrd in /boot"
kernel_version=${vmlinuz##*/vmlinuz-}
[[ -d $rootfs/lib/modules/$kernel_version/kernel/net/netfilter/ipvs ]] ||
  die "kernel $kernel_version has no IPVS modules"

mkdir -p "$work/out"
cp "$vmlinuz" "$work/out/vmlinuz"
cp "$initrd" "$work/out/initrd.img"
echo "$kernel_version" >"$work/out/kernel-version"
log "root disk ($disk_size, sparse ext4 from the rootfs)"
truncate -s "$disk_size" "$work/out/disk.raw"
mkfs.ext4 -q -F -L knc-guest -d "$rootfs" "$work/out/disk.raw"
mv "$work/out" "$out"
# Older builds of the guest are of no further use.
find "$cache/guest" -mindepth 1 -maxdepth 1 -type d -not -name "$key" -not -name debootstrap-debs \
  -exec rm -rf {} +
log "built $out (kernel $kernel_version) in $((SECONDS - t0)) s"
echo "GUEST_DIR=$out"
