#!/bin/sh
# Run inside `docker build` of the kube-proxy / kindnetd images: make every
# iptables entry point go through /usr/sbin/iptables-wrapper.
set -eu
chmod 0755 /usr/sbin/iptables-wrapper
for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  ln -sf /usr/sbin/iptables-wrapper "/etc/alternatives/$t"
  # make sure the public name resolves to the alternatives link
  [ -L "/usr/sbin/$t" ] || ln -sf "/etc/alternatives/$t" "/usr/sbin/$t"
done
