#!/usr/bin/env bash
# clusters/profiles/verify.sh — smoke-check a running kube-netconform kind
# cluster: every node Ready, CoreDNS Ready, kube-proxy reporting the expected
# mode on :10249/proxyMode of every node, and pod-to-pod (ping + HTTP) and
# pod-to-Service traffic between pods on two different workers.
#
# Why: after building a node image offline, this is the quickest proof that
# the images, the CNI and kube-proxy really work together.
#
# Usage: verify.sh [--name CLUSTER] [--mode iptables|nftables|ipvs]
#   env: TOOLCHAIN_BIN (kind, kubectl; default: clusters/toolchain/build.sh)
# The test pods use kube-netconform/smoke:busybox (built by
# clusters/host/prepare.sh), loaded with `kind load docker-image`; they are
# deleted at the end. Progress on stderr prefixed [verify]; exit 1 on failure.
set -euo pipefail

NAME=knc-dev
MODE=""
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SMOKE_IMAGE="kube-netconform/smoke:busybox"
log() { echo "[verify] $*" >&2; }
die() { echo "[verify] FAIL: $*" >&2; exit 1; }
while (( $# )); do
  case "$1" in
    --name) NAME="${2:?}"; shift ;;
    --mode) MODE="${2:?}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done
if [[ -z "${TOOLCHAIN_BIN:-}" ]]; then
  TOOLCHAIN_BIN="$("$REPO/clusters/toolchain/build.sh" | sed -n 's/^TOOLCHAIN_BIN=//p')"
fi
KIND="$TOOLCHAIN_BIN/kind"
KCFG="$(mktemp)"
trap 'rm -f "$KCFG"' EXIT
"$KIND" get kubeconfig --name "$NAME" >"$KCFG"
k() { "$TOOLCHAIN_BIN/kubectl" --kubeconfig "$KCFG" "$@"; }

mapfile -t NODES < <("$KIND" get nodes --name "$NAME" | sort)
log "nodes: ${NODES[*]}"
k wait --for=condition=Ready node --all --timeout=120s >/dev/null || die "not every node is Ready"
log "all ${#NODES[@]} nodes Ready"
k -n kube-system wait --for=condition=Ready pod -l k8s-app=kube-dns --timeout=120s >/dev/null || die "CoreDNS not Ready"
log "CoreDNS Ready"

for n in "${NODES[@]}"; do
  got="$(docker exec "$n" curl -s --max-time 5 http://127.0.0.1:10249/proxyMode || true)"
  [[ -n "$got" ]] || die "kube-proxy on $n does not answer on :10249/proxyMode"
  [[ -z "$MODE" || "$got" == "$MODE" ]] || die "kube-proxy on $n runs in '$got' mode, expected '$MODE'"
  log "kube-proxy on $n: $got"
done

mapfile -t WORKERS < <(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
(( ${#WORKERS[@]} >= 2 )) || die "need two workers, have: ${WORKERS[*]}"
if ! docker image inspect "$SMOKE_IMAGE" >/dev/null 2>&1; then
  die "$SMOKE_IMAGE missing: run clusters/host/prepare.sh"
fi
"$KIND" load docker-image "$SMOKE_IMAGE" --name "$NAME" >/dev/null 2>&1 || die "kind load docker-image failed"

ns="knc-verify-$$"
k create namespace "$ns" >/dev/null
trap 'k delete namespace "$ns" --wait=false >/dev/null 2>&1 || true; rm -f "$KCFG"' EXIT
for i in 0 1; do
  cat <<YAML | k -n "$ns" apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata:
  name: web-$i
  labels: {app: web-$i}
spec:
  nodeName: ${WORKERS[$i]}
  containers:
    - name: web
      image: $SMOKE_IMAGE
      imagePullPolicy: Never
      command: [/bin/busybox, sh, -c, "mkdir -p /www && echo hello-from-web-$i >/www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www"]
YAML
done
k -n "$ns" expose pod web-1 --name web-1 --port 80 --target-port 8080 >/dev/null
k -n "$ns" wait --for=condition=Ready pod/web-0 pod/web-1 --timeout=90s >/dev/null || die "test pods not Ready"
ip1="$(k -n "$ns" get pod web-1 -o jsonpath='{.status.podIP}')"
svc="$(k -n "$ns" get svc web-1 -o jsonpath='{.spec.clusterIP}')"
k -n "$ns" exec web-0 -- /bin/busybox ping -c 2 -W 3 "$ip1" >/dev/null || die "ping ${WORKERS[0]} -> ${WORKERS[1]} pod $ip1 failed"
log "ping web-0 (${WORKERS[0]}) -> web-1 $ip1 (${WORKERS[1]}): ok"
got="$(k -n "$ns" exec web-0 -- /bin/busybox wget -qO- "http://$ip1:8080/")"
[[ "$got" == hello-from-web-1 ]] || die "HTTP to pod $ip1 answered '$got'"
log "HTTP web-0 -> pod $ip1:8080: ok"
for _ in $(seq 1 20); do
  got="$(k -n "$ns" exec web-0 -- /bin/busybox wget -qO- "http://$svc/" 2>/dev/null || true)"
  [[ "$got" == hello-from-web-1 ]] && break
  sleep 1
done
[[ "$got" == hello-from-web-1 ]] || die "HTTP to Service $svc answered '$got'"
log "HTTP web-0 -> Service $svc:80: ok"
k -n "$ns" exec web-0 -- /bin/busybox nslookup "web-1.$ns.svc.cluster.local" 10.96.0.10 2>/dev/null | grep -q "$svc" \
  || die "CoreDNS did not resolve web-1.$ns.svc.cluster.local to $svc"
log "DNS web-1.$ns.svc.cluster.local -> $svc: ok"
log "cluster $NAME: all checks passed"
