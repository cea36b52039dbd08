#!/bin/bash
# ExecStartPre of kubelet.service: create the cgroup root the kubelet is
# configured with (/kubelet, or kubelet.slice with the systemd driver).
set -euo pipefail
if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
  # cgroup v2: enable every available controller for the subtrees we create
  enable_all() { sed -e 's/ / +/g' -e 's/^/+/' <"$1/cgroup.controllers" >"$1/cgroup.subtree_control"; }
  enable_all /sys/fs/cgroup
  for d in kubelet kubelet.slice; do
    mkdir -p "/sys/fs/cgroup/$d"
    enable_all "/sys/fs/cgroup/$d"
  done
else
  mkdir -p /sys/fs/cgroup/systemd/kubelet
fi
