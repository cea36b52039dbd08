#!/usr/bin/env bash
# rootfs-cleanup.sh DIR — shrink a fresh debootstrap rootfs before it is
# turned into an image: drop apt lists and caches, docs, man pages and
# locales (nothing in a node or a kube-proxy image reads them), and empty
# files that must be unique per container (machine-id).
set -euo pipefail
d="${1:?rootfs dir}"
[[ -d "$d/usr" && -d "$d/etc" ]] || { echo "[node-image] not a rootfs: $d" >&2; exit 1; }
rm -rf "$d"/var/lib/apt/lists/* "$d"/var/cache/apt/*.bin "$d"/var/cache/apt/archives/*.deb \
       "$d"/var/cache/debconf/*-old "$d"/var/log/*.log "$d"/var/log/apt/* \
       "$d"/usr/share/doc/* "$d"/usr/share/man/* "$d"/usr/share/info/* \
       "$d"/usr/share/locale/* "$d"/usr/share/lintian/* "$d"/tmp/* "$d"/var/tmp/*
: >"$d/etc/machine-id"
rm -f "$d/var/lib/dbus/machine-id"
# debootstrap copies the build host's resolv.conf and hostname; docker provides both
: >"$d/etc/resolv.conf"
echo localhost >"$d/etc/hostname"
