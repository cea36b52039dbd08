#!/usr/bin/env bash
# clusters/loadbalancer/install.sh - install (or remove) MetalLB in layer-2 mode on a kind cluster.
#
# What: builds or reuses the local MetalLB images (build.sh), loads them into the nodes with
# `kind load docker-image`, applies MetalLB's CRDs straight from the module source in GOMODCACHE
# (config/crd/bases, never copied into this repository), applies metallb.yaml with the image
# names filled in, waits until the controller and every speaker are ready, and creates the
# IPAddressPool "knc-pool" and the L2Advertisement "knc-l2" for 24 addresses in the top /24 of
# the IPv4 subnet of the nodes' Docker network (x.y.255.228-x.y.255.251 for the first cluster
# on a /16; one slot per cluster, see below).
# Why that range: offline clusters drop packets from the nodes' network to anything outside
# its subnet (host/contain-egress.sh), and layer-2 mode answers ARP on that same segment, so
# the addresses must be inside the subnet; Docker hands out container addresses from the
# bottom of the subnet, so the top stays free.
#
# Usage: install.sh <kind-binary> <cluster-name> <kubeconfig>             install, wait for ready
#        install.sh --uninstall <kind-binary> <cluster-name> <kubeconfig> remove everything it installed
# Env:   KNC_NODES_NETWORK (default kind), KNC_LB_READY_TIMEOUT (seconds, default 180)
# stdout: LOADBALANCER_POOL=<first>-<last> after an install; progress on stderr ([loadbalancer]).
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
NETWORK=${KNC_NODES_NETWORK:-kind}
READY_TIMEOUT=${KNC_LB_READY_TIMEOUT:-180}
t0=$SECONDS
log() { printf '[loadbalancer] %s (%ds)\n' "$*" "$((SECONDS - t0))" >&2; }
die() { printf '[loadbalancer] ERROR: %s\n' "$*" >&2; exit 1; }

mode=install
if [[ "${1:-}" == --uninstall ]]; then
  mode=uninstall
  shift
fi
(($# == 3)) || die "usage: $0 [--uninstall] <kind-binary> <cluster-name> <kubeconfig>"
KIND=$1
CLUSTER=$2
export KUBECONFIG=$3
[[ -x "$KIND" ]] || command -v "$KIND" >/dev/null || die "kind binary '$KIND' not found"
[[ -f "$KUBECONFIG" ]] || die "no kubeconfig at $KUBECONFIG"
# The toolchain's kubectl sits next to its kind; fall back to the one on PATH.
KUBECTL=$(dirname -- "$(command -v "$KIND")")/kubectl
[[ -x "$KUBECTL" ]] || KUBECTL=$(command -v kubectl) || die "no kubectl next to $KIND or on PATH"
k() { "$KUBECTL" --kubeconfig "$KUBECONFIG" "$@"; }

if [[ "$mode" == uninstall ]]; then
  log "removing MetalLB from $CLUSTER"
  k delete namespace metallb-system --ignore-not-found --wait=true --timeout=120s >&2
  k delete clusterrole,clusterrolebinding knc-metallb-controller knc-metallb-speaker --ignore-not-found >&2
  mapfile -t crds < <(k get crd -o name | grep '\.metallb\.io$' || true)
  ((${#crds[@]} == 0)) || k delete "${crds[@]}" --ignore-not-found >&2
  slots="${KNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-netconform}/loadbalancer/pools/$NETWORK"
  for f in "$slots"/[0-7]; do
    [[ -f "$f" && "$(cat "$f")" == "$CLUSTER" ]] && rm -f "$f"
  done
  log "removed"
  exit 0
fi

# --- the address range: a slot in the top /24 of the nodes' network IPv4 subnet
# Several kind clusters can share the network (one per profile, the self-test's), and two
# layer-2 speakers answering ARP for one address would split its traffic, so each cluster
# takes one of 8 slots of 24 addresses (.228-.251 first, then .196-.219, ...), recorded in
# $CACHE/loadbalancer/pools/<network>/<slot> and skipped while the cluster named there exists.
subnet=$(docker network inspect "$NETWORK" -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' |
  tr ' ' '\n' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/[0-9]+$' | head -n1) ||
  die "Docker network '$NETWORK' has no IPv4 subnet"
ip2int() { local IFS=.; read -r a b c d <<<"$1"; echo $(((a << 24) | (b << 16) | (c << 8) | d)); }
int2ip() { echo "$(($1 >> 24 & 255)).$(($1 >> 16 & 255)).$(($1 >> 8 & 255)).$(($1 & 255))"; }
prefix=${subnet#*/}
((prefix <= 24)) || die "subnet $subnet of '$NETWORK' is smaller than a /24; no room for a pool"
base=$(ip2int "${subnet%/*}")
top24=$(((base | ((1 << (32 - prefix)) - 1)) & ~255))
SLOTS="${KNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-netconform}/loadbalancer/pools/$NETWORK"
mkdir -p "$SLOTS"
exec 8>"$SLOTS/.lock"
flock 8
clusters=$("$KIND" get clusters 2>/dev/null || true)
slot=""
for s in 7 6 5 4 3 2 1 0; do
  owner=$(cat "$SLOTS/$s" 2>/dev/null || true)
  if [[ -z "$owner" || "$owner" == "$CLUSTER" ]] || ! grep -qx "$owner" <<<"$clusters"; then
    slot=$s
    break
  fi
done
[[ -n "$slot" ]] || die "all 8 address slots of '$NETWORK' are held by running clusters ($SLOTS)"
for s in 0 1 2 3 4 5 6 7; do
  [[ "$s" == "$slot" || "$(cat "$SLOTS/$s" 2>/dev/null || true)" != "$CLUSTER" ]] || rm -f "$SLOTS/$s"
done
echo "$CLUSTER" >"$SLOTS/$slot"
flock -u 8
first=$((top24 + slot * 32 + 4))
last=$((first + 23))
POOL="$(int2ip "$first")-$(int2ip "$last")"
# The range must be free: no container on the network may hold one of its addresses.
while read -r used; do
  [[ -n "$used" ]] || continue
  u=$(ip2int "${used%/*}")
  ((u < first || u > last)) || die "address ${used%/*} of pool $POOL is used by a container on '$NETWORK'"
done < <(docker network inspect "$NETWORK" -f '{{range .Containers}}{{.IPv4Address}}{{"\n"}}{{end}}')

# --- images, CRDs, workloads
build_out=$(bash "$HERE/build.sh")
value() { sed -n "s/^$1=//p" <<<"$build_out"; }
CONTROLLER_IMAGE=$(value METALLB_CONTROLLER_IMAGE)
SPEAKER_IMAGE=$(value METALLB_SPEAKER_IMAGE)
MODULE_DIR=$(value METALLB_MODULE_DIR)
[[ -n "$CONTROLLER_IMAGE" && -n "$SPEAKER_IMAGE" && -d "$MODULE_DIR" ]] || die "build.sh printed no images"

log "loading $CONTROLLER_IMAGE and $SPEAKER_IMAGE into $CLUSTER"
"$KIND" load docker-image --name "$CLUSTER" "$CONTROLLER_IMAGE" "$SPEAKER_IMAGE" >&2 ||
  die "kind load docker-image failed"
log "applying MetalLB's CRDs from $MODULE_DIR/config/crd/bases"
k apply --server-side --force-conflicts -f "$MODULE_DIR/config/crd/bases" >&2
k wait --for condition=established --timeout=60s \
  crd/ipaddresspools.metallb.io crd/l2advertisements.metallb.io >&2
sed -e "s#@CONTROLLER_IMAGE@#$CONTROLLER_IMAGE#" -e "s#@SPEAKER_IMAGE@#$SPEAKER_IMAGE#" \
  "$HERE/metallb.yaml" | k apply -f - >&2
log "waiting up to ${READY_TIMEOUT}s for the controller and the speakers"
k -n metallb-system rollout status deployment/controller --timeout="${READY_TIMEOUT}s" >&2 ||
  { k -n metallb-system get pods -o wide >&2; die "MetalLB controller not ready"; }
k -n metallb-system rollout status daemonset/speaker --timeout="${READY_TIMEOUT}s" >&2 ||
  { k -n metallb-system get pods -o wide >&2; die "MetalLB speakers not ready"; }

k apply -f - >&2 <<EOF
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: knc-pool
  namespace: metallb-system
spec:
  addresses:
    - $POOL
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: knc-l2
  namespace: metallb-system
spec:
  ipAddressPools:
    - knc-pool
EOF
log "MetalLB ready on $CLUSTER, pool $POOL (network $NETWORK, subnet $subnet)"
printf 'LOADBALANCER_POOL=%s\n' "$POOL"
