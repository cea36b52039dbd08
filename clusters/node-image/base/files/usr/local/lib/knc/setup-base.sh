#!/bin/bash
# Run once at image build time (docker build RUN): systemd tailored for a
# container, our units enabled, CNI paths and kubeadm directories in place.
set -euo pipefail
chmod 0755 /usr/local/bin/entrypoint /kind/bin/*.sh
[[ -e /sbin/init ]] || ln -s /lib/systemd/systemd /sbin/init
# units that make no sense (or do harm) inside a container
systemctl mask systemd-binfmt.service systemd-udevd.service systemd-udevd-control.socket \
  systemd-udevd-kernel.socket systemd-udev-trigger.service systemd-udev-settle.service \
  systemd-modules-load.service systemd-journald-audit.socket getty.target \
  console-getty.service systemd-logind.service apt-daily.timer apt-daily-upgrade.timer \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer dpkg-db-backup.timer \
  systemd-timesyncd.service systemd-networkd.service systemd-resolved.service \
  systemd-firstboot.service systemd-hwdb-update.service sys-kernel-debug.mount \
  sys-kernel-tracing.mount 2>/dev/null || true
# nothing in the kernel ring buffer is ours
mkdir -p /etc/systemd/journald.conf.d
printf '[Journal]\nReadKMsg=no\nStorage=volatile\n' >/etc/systemd/journald.conf.d/knc.conf
systemctl enable containerd.service kubelet.service knc-undo-mount-hacks.service
systemctl set-default multi-user.target
# CNI plugins: Debian puts them in /usr/lib/cni, everything else looks in /opt/cni/bin
mkdir -p /opt/cni /etc/cni/net.d
[[ -e /opt/cni/bin ]] || ln -s /usr/lib/cni /opt/cni/bin
mkdir -p /etc/kubernetes/manifests /var/lib/kubelet /kind/manifests
