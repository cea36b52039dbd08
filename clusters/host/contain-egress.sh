#!/usr/bin/env bash
# clusters/host/contain-egress.sh — keep traffic from the kind nodes' network on this machine.
#
# Why: some probes send packets that, in some kube-proxy modes, no rule on the node catches (a
# ClusterIP port the Service does not expose, ping to a ClusterIP in iptables mode, a ClusterIP
# tried from a container outside the cluster). Such packets follow the node's default route out
# of the machine, and what answers then depends on the network beyond it. On machines with no
# container registry (CI sandboxes, air-gapped sites) nothing on the nodes' network needs to leave
# the machine, so cluster up (offline mode) adds one rule to Docker's DOCKER-USER chain rejecting
# forwarded packets from the network's subnets to anywhere outside them: the probes then see a
# deterministic ICMP "administratively prohibited" from the host instead of an unknown network.
#
# Usage: contain-egress.sh add|remove|check NETWORK
# The rules carry the comment "kube-netconform contain-egress NETWORK", so remove finds exactly them.
set -euo pipefail
action=${1:?usage: contain-egress.sh add|remove|check NETWORK}
network=${2:?usage: contain-egress.sh add|remove|check NETWORK}
tag="kube-netconform contain-egress $network"
log() { echo "[host] $*" >&2; }

subnets() { docker network inspect "$network" -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}'; }
tool_for() { if [[ $1 == *:* ]]; then echo ip6tables; else echo iptables; fi; }
reject_for() { if [[ $1 == *:* ]]; then echo icmp6-adm-prohibited; else echo icmp-admin-prohibited; fi; }
rule() { # $1 subnet -> the rule's arguments
  echo "-s $1 ! -d $1 -m comment --comment \"$tag\" -j REJECT --reject-with $(reject_for "$1")"
}

case $action in
  add)
    for s in $(subnets); do
      t=$(tool_for "$s")
      "$t" -N DOCKER-USER 2>/dev/null || true
      r=$(reject_for "$s")
      if ! "$t" -C DOCKER-USER -s "$s" ! -d "$s" -m comment --comment "$tag" -j REJECT --reject-with "$r" 2>/dev/null; then
        "$t" -I DOCKER-USER -s "$s" ! -d "$s" -m comment --comment "$tag" -j REJECT --reject-with "$r"
        log "contained egress of $network ($s): $(rule "$s")"
      fi
    done
    ;;
  remove)
    for t in iptables ip6tables; do
      while read -r line; do
        [[ -n $line ]] || continue
        eval "$t ${line/-A/-D}"
      done < <("$t" -S DOCKER-USER 2>/dev/null | grep -F -- "--comment \"$tag\"" || true)
    done
    ;;
  check)
    iptables -S DOCKER-USER 2>/dev/null | grep -qF -- "--comment \"$tag\""
    ;;
  *)
    echo "usage: contain-egress.sh add|remove|check NETWORK" >&2
    exit 2
    ;;
esac
