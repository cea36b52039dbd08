#!/usr/bin/env bash
# clusters/guest/node-with-fixtures.sh — derive, on the host, a node image whose containerd already
# holds the fixture images, for the IPVS lane.
#
# Why: on the host, `kind load docker-image` puts the fixture images into the nodes' containerd in
# seconds. In the lane the node runs in a QEMU guest under software emulation, where the same load
# (docker save in the guest, ctr import of every blob in the node) took 854 s. Importing them once
# here, at native speed, and committing the result moves that work out of every lane start: the
# guest's Docker loads the derived image once (clusters/guest/vm.sh provision) and kind copies its
# /var into the node's volume like the control-plane images that are already there.
# The images are imported with --no-unpack, as clusters/node-image/build.sh does for the control
# plane: containerd unpacks a fixture the first time a pod uses it.
#
# Usage: node-with-fixtures.sh <node-image> <image>...
# Prints on stdout: NODE_IMAGE=<tag>   (progress on stderr, prefixed [guest-node])
# Cached by a key of the node image's id, the images' ids and this script: a warm run only checks
# that the tag exists with that key.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/node-containerd.sh
source "$here/../lib/node-containerd.sh"

log() { printf '[guest-node] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

(($# >= 2)) || die "usage: $0 <node-image> <image>..."
node=$1
shift
images=("$@")

id_of() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || die "no image $1 on the host"; }
key=$({
  id_of "$node"
  for i in "${images[@]}"; do printf '%s %s\n' "$i" "$(id_of "$i")"; done | sort
  cat "$0" "$here/../lib/node-containerd.sh"
} | sha256sum | cut -c1-12)
# kube-netconform/node:v1.34.4-<key of the node image> -> kube-netconform/node:v1.34.4-fixtures-<key>
tag="${node%-*}-fixtures-$key"
if [[ $(docker image inspect -f '{{index .Config.Labels "knc.key"}}' "$tag" 2>/dev/null) == "$key" ]]; then
  log "$tag: cached"
  echo "NODE_IMAGE=$tag"
  exit 0
fi

t0=$SECONDS
log "importing ${#images[@]} image(s) into the containerd of $node: ${images[*]}"
cid=$(docker run -d --privileged --entrypoint sleep --label knc.role=node-image-build "$node" infinity)
trap 'docker rm -f "$cid" >/dev/null 2>&1 || true' EXIT
node_containerd_start "$cid"
node_containerd_import "$cid" "${images[@]}"
printf '%s\n' "${images[@]}" | docker exec -i "$cid" sh -c 'cat >>/kind/images'
node_containerd_stop "$cid"
docker commit \
  -c 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' -c 'CMD []' \
  -c "LABEL knc.key=$key" -c "LABEL knc.role=node-image" -c "LABEL knc.fixtures=\"${images[*]}\"" \
  "$cid" "$tag" >/dev/null
log "$tag: built in $((SECONDS - t0)) s"
# Derived images of an earlier node image or fixture set are of no further use on the host.
for old in $(docker image ls --filter label=knc.fixtures --format '{{.Repository}}:{{.Tag}}'); do
  [[ $old == "$tag" ]] || docker rmi "$old" >/dev/null 2>&1 || true
done
echo "NODE_IMAGE=$tag"
