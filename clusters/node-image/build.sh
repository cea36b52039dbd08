#!/usr/bin/env bash
# clusters/node-image/build.sh — build a kind node image with NO registry access.
#
# Why: `kind build node-image` pulls the control-plane images, pause, the CNI
# image and its base image from registries; this machine reaches none. So we
# assemble the same result from local parts only:
#   1. rootfs   debootstrap (Debian bookworm, minbase) rootfs tarballs, cached
#               in $CACHE/node-image/rootfs (one for the node, a small one for
#               the kube-proxy and CNI images);
#   2. base     `docker import` of the node rootfs + a local `docker build` that
#               adds our kind-compatible files (entrypoint, systemd units,
#               containerd config) and STOPSIGNAL/ENTRYPOINT;
#   3. images   minimal images built locally from the toolchain's binaries and
#               tagged exactly as `kubeadm config images list` prints
#               (apiserver, controller-manager, scheduler, proxy, etcd,
#               coredns, pause) plus the CNI image (CNI in versions.env:
#               flannel -> kube-netconform/flannel:<ver>-<hash>, kindnetd ->
#               kindest/kindnetd:<ver>-<hash>); pause is containerd's
#               sandbox_image;
#   4. node     run the base with `sleep infinity`, copy in kubeadm/kubelet/
#               kubectl (+ crictl and the flannel CNI plugin when present),
#               start containerd, stream `docker save` of the images into
#               `ctr -n k8s.io images import --no-unpack` over stdin, write
#               /kind/version, /kind/manifests/default-cni.yaml and
#               default-storage.yaml, stop containerd, `docker commit`.
# Every stage is cached by a key (a hash of versions, binaries and recipe
# files); a warm run only checks that the final tag exists.
#
# Usage: build.sh [--force] [--stage rootfs|base|images]
#   --force   rebuild every stage even when cached
#   --stage   stop after that stage (prints BASE_IMAGE= / IMAGE= lines)
#   env: TOOLCHAIN_BIN=<dir>  binaries (default: run clusters/toolchain/build.sh)
#        KNC_EXTRA_BIN_DIRS   colon-separated fallback dirs for binaries
#        KUBERNETES_VERSION   (default from clusters/versions.env, else v1.34.4)
#        KNC_CACHE_DIR, KNC_DEBIAN_MIRROR
# Prints on stdout:  NODE_IMAGE=<tag>   (progress on stderr, prefixed [node-image])
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${KNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-netconform}"
WORK="$CACHE/node-image"
if [[ -f "$REPO/clusters/versions.env" ]]; then
  # shellcheck disable=SC1091
  source "$REPO/clusters/versions.env"
fi
KUBE_VERSION="${KUBERNETES_VERSION:-${KUBE_VERSION:-v1.34.4}}"
[[ "$KUBE_VERSION" == v* ]] || KUBE_VERSION="v$KUBE_VERSION"
DEBIAN_SUITE="${KNC_DEBIAN_SUITE:-bookworm}"
# shellcheck source=../lib/debian-mirror.sh
source "$REPO/clusters/lib/debian-mirror.sh"
# shellcheck source=../lib/node-containerd.sh
source "$REPO/clusters/lib/node-containerd.sh"
IMAGE_PREFIX="kube-netconform"
CNI_NAME="${CNI:-kindnetd}"
FORCE=0
ONLY_STAGE=""
T0=$SECONDS

log() { echo "[node-image] $*" >&2; }
die() { echo "[node-image] ERROR: $*" >&2; exit 1; }
elapsed() { echo "$((SECONDS - $1))s"; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
# short stable hash of stdin
key_of() { sha256sum | cut -c1-12; }
pkg_list() { grep -v -e '^#' -e '^[[:space:]]*$' "$1" | tr -d ' ' | paste -sd, -; }

while (( $# )); do
  case "$1" in
    --force) FORCE=1 ;;
    --stage) ONLY_STAGE="${2:?}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done

command -v docker >/dev/null && docker info >/dev/null 2>&1 \
  || die "docker is not running; run clusters/host/prepare.sh first"
command -v debootstrap >/dev/null || die "debootstrap missing; run clusters/host/prepare.sh first"
mkdir -p "$WORK/rootfs" "$WORK/debs" "$WORK/tmp"

# ------------------------------------------------------------- 1. rootfs
# An interrupted debootstrap leaves proc/sys mounted inside its target:
# unmount everything below DIR (deepest first) before removing it.
unmount_under() {
  local dir="$1" m
  awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
}
remove_tree() { unmount_under "$1"; rm -rf --one-file-system "$1"; }
# rootfs_tar FLAVOR PACKAGE_FILE -> prints the tarball path
rootfs_tar() {
  local flavor="$1" pkgfile="$2" pkgs key out dir t
  pkgs="$(pkg_list "$pkgfile")"
  key="$(printf '%s\n' "$DEBIAN_SUITE" "$DEBIAN_MIRROR" minbase "$pkgs" "$(cat "$HERE/rootfs-cleanup.sh")" | key_of)"
  out="$WORK/rootfs/$flavor-$DEBIAN_SUITE-$key.tar"
  if [[ -s "$out" && $FORCE == 0 ]]; then
    log "rootfs $flavor: cached ($out)"
    echo "$out"; return 0
  fi
  t=$SECONDS
  dir="$WORK/tmp/rootfs-$flavor"
  remove_tree "$dir"
  trap 'remove_tree "$dir"' EXIT
  log "rootfs $flavor: debootstrap $DEBIAN_SUITE minbase + $(tr ',' ' ' <<<"$pkgs" | wc -w) packages"
  debootstrap --variant=minbase --include="$pkgs" --cache-dir="$WORK/debs" \
    "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR" >"$WORK/debootstrap-$flavor.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap-$flavor.log" >&2; die "debootstrap failed (log: $WORK/debootstrap-$flavor.log)"; }
  bash "$HERE/rootfs-cleanup.sh" "$dir"
  tar --numeric-owner --xattrs -C "$dir" -cf "$out.part" .
  mv "$out.part" "$out"
  remove_tree "$dir"
  trap - EXIT
  log "rootfs $flavor: built in $(elapsed $t), $(du -h "$out" | cut -f1)"
  echo "$out"
}

# import_rootfs TARBALL FLAVOR -> prints the image tag
import_rootfs() {
  local tar="$1" flavor="$2" tag
  tag="$IMAGE_PREFIX/rootfs-$flavor:$(basename "$tar" .tar | sed "s/^$flavor-//")"
  if ! have_image "$tag" || (( FORCE )); then
    log "importing $tar as $tag"
    docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$tar" "$tag" >/dev/null
  fi
  echo "$tag"
}

stage_rootfs() {
  NODE_ROOTFS_TAR="$(rootfs_tar node "$HERE/packages-node.txt")"
  NET_ROOTFS_TAR="$(rootfs_tar net "$HERE/packages-net.txt")"
}

# ------------------------------------------------------------- helpers
# sha256 of a file, memoised by path+size+mtime (the binaries are large)
file_sha() {
  local f="$1" memo stamp line
  memo="$WORK/hashes/$(sed 's#/#_#g' <<<"$f")"
  stamp="$(stat -L -c '%s %Y' "$f")"
  if [[ -f "$memo" ]]; then
    read -r line <"$memo"
    if [[ "${line% *}" == "$stamp" ]]; then echo "${line##* }"; return 0; fi
  fi
  mkdir -p "$WORK/hashes"
  line="$(sha256sum "$f" | cut -d' ' -f1)"
  echo "$stamp $line" >"$memo"
  echo "$line"
}
image_key() { docker image inspect -f '{{index .Config.Labels "knc.key"}}' "$1" 2>/dev/null || true; }

# build_image TAG KEY CONTEXT_DIR [docker build args...]: legacy builder, cached by label
build_image() {
  local tag="$1" key="$2" ctx="$3" t=$SECONDS
  shift 3
  if [[ "$(image_key "$tag")" == "$key" && $FORCE == 0 ]]; then
    log "image $tag: cached"
    return 0
  fi
  local nocache=()
  (( FORCE )) && nocache=(--no-cache)
  DOCKER_BUILDKIT=0 docker build -q "${nocache[@]}" --label "knc.key=$key" -t "$tag" "$@" "$ctx" >/dev/null 2>"$WORK/docker-build.err" \
    || { cat "$WORK/docker-build.err" >&2; die "docker build of $tag failed"; }
  log "image $tag: built in $(elapsed $t)"
}

# ------------------------------------------------------------- toolchain
TOOLCHAIN_BIN="${TOOLCHAIN_BIN:-}"
resolve_toolchain() {
  if [[ -z "$TOOLCHAIN_BIN" && -x "$REPO/clusters/toolchain/build.sh" ]]; then
    log "running clusters/toolchain/build.sh"
    TOOLCHAIN_BIN="$("$REPO/clusters/toolchain/build.sh" | sed -n 's/^TOOLCHAIN_BIN=//p' | tail -1)" \
      || die "clusters/toolchain/build.sh failed"
  fi
  [[ -n "$TOOLCHAIN_BIN" || -n "${KNC_EXTRA_BIN_DIRS:-}" ]] \
    || die "no toolchain: set TOOLCHAIN_BIN or provide clusters/toolchain/build.sh"
  log "toolchain: ${TOOLCHAIN_BIN:-<none>}${KNC_EXTRA_BIN_DIRS:+ (+ $KNC_EXTRA_BIN_DIRS)}"
}
# find_bin NAME [optional]: TOOLCHAIN_BIN first, then KNC_EXTRA_BIN_DIRS
find_bin() {
  local name="$1" d dirs=()
  [[ -n "$TOOLCHAIN_BIN" ]] && dirs+=("$TOOLCHAIN_BIN")
  IFS=: read -r -a extra <<<"${KNC_EXTRA_BIN_DIRS:-}"
  dirs+=("${extra[@]}")
  for d in "${dirs[@]}"; do
    [[ -n "$d" && -x "$d/$name" ]] && { echo "$d/$name"; return 0; }
  done
  [[ "${2:-}" == optional ]] && return 0
  die "binary '$name' not found in: ${dirs[*]}"
}

# ------------------------------------------------------------- 2. base
stage_base() {
  local rootfs_img key ctx
  rootfs_img="$(import_rootfs "$NODE_ROOTFS_TAR" node)"
  # build context: base/ plus the host's runc wrapper (used inside the node
  # on hosts without CAP_SYS_RESOURCE, see the entrypoint)
  ctx="$(mktemp -d "$WORK/tmp/base.XXXXXX")"
  cp -a "$HERE/base/." "$ctx/"
  mkdir -p "$ctx/files/usr/local/sbin"
  install -m 0755 "$REPO/clusters/host/runc-caps-wrapper" "$ctx/files/usr/local/sbin/runc-caps-wrapper"
  key="$( { echo "$rootfs_img"; cat "$ctx/Dockerfile"; \
            (cd "$ctx" && find files -type f -print0 | sort -z | xargs -0 sha256sum); \
            (cd "$ctx" && find files -printf '%p %m\n' | sort); } | key_of)"
  BASE_IMAGE="$IMAGE_PREFIX/node-base:$DEBIAN_SUITE-$key"
  BASE_KEY="$key"
  build_image "$BASE_IMAGE" "$key" "$ctx" --build-arg "ROOTFS=$rootfs_img"
  rm -rf "$ctx"
}

# ------------------------------------------------------------- 3. images
# Writes a minimal rootfs for a static binary image into DIR.
static_rootfs() {
  local dir="$1"
  mkdir -p "$dir/etc/ssl/certs" "$dir/tmp" "$dir/usr/local/bin" "$dir/var/run"
  chmod 1777 "$dir/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$dir/etc/group"
  echo 'hosts: files dns' >"$dir/etc/nsswitch.conf"
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
}

# static_image NAME_FROM_KUBEADM BINARY DEST_PATH ENTRYPOINT_JSON [EXTRA_BINARY...]
static_image() {
  local tag="$1" bin="$2" dest="$3" entry="$4" ctx key b
  shift 4
  ctx="$(mktemp -d "$WORK/tmp/img.XXXXXX")"
  static_rootfs "$ctx/rootfs"
  mkdir -p "$ctx/rootfs$(dirname "$dest")"
  cp "$bin" "$ctx/rootfs$dest"
  for b in "$@"; do cp "$b" "$ctx/rootfs/usr/local/bin/"; done
  {
    echo "FROM scratch"
    echo "COPY rootfs/ /"
    echo "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin"
    [[ -n "$entry" ]] && echo "ENTRYPOINT $entry"
  } >"$ctx/Dockerfile"
  key="$( { cat "$ctx/Dockerfile"; (cd "$ctx" && find rootfs -type f -print0 | sort -z | xargs -0 sha256sum); } | key_of)"
  build_image "$tag" "$key" "$ctx"
  rm -rf "$ctx"
  COMPONENT_KEYS+="$tag=$key"$'\n'
}

# net_image TAG NET_ROOTFS_IMAGE BINARY DEST ENTRYPOINT_JSON
net_image() {
  local tag="$1" from="$2" bin="$3" dest="$4" entry="$5" ctx key
  ctx="$(mktemp -d "$WORK/tmp/img.XXXXXX")"
  cp "$bin" "$ctx/$(basename "$dest")"
  cp "$HERE/images/iptables-wrapper" "$HERE/images/install-iptables-wrapper.sh" "$ctx/"
  {
    echo "FROM $from"
    echo "COPY iptables-wrapper /usr/sbin/iptables-wrapper"
    echo "COPY install-iptables-wrapper.sh /tmp/install-iptables-wrapper.sh"
    echo "RUN sh /tmp/install-iptables-wrapper.sh && rm /tmp/install-iptables-wrapper.sh"
    echo "COPY $(basename "$dest") $dest"
    [[ -n "$entry" ]] && echo "ENTRYPOINT $entry"
  } >"$ctx/Dockerfile"
  key="$( { cat "$ctx/Dockerfile"; (cd "$ctx" && find . -type f ! -name Dockerfile -print0 | sort -z | xargs -0 sha256sum); } | key_of)"
  build_image "$tag" "$key" "$ctx"
  rm -rf "$ctx"
  COMPONENT_KEYS+="$tag=$key"$'\n'
}

stage_images() {
  local net_img name ref b
  KUBEADM="$(find_bin kubeadm)"
  mapfile -t KUBEADM_IMAGES < <("$KUBEADM" config images list --kubernetes-version "$KUBE_VERSION" 2>/dev/null)
  (( ${#KUBEADM_IMAGES[@]} >= 6 )) || die "kubeadm config images list printed nothing useful"
  log "kubeadm $KUBE_VERSION wants: ${KUBEADM_IMAGES[*]}"
  net_img="$(import_rootfs "$NET_ROOTFS_TAR" net)"
  COMPONENT_KEYS=""
  NODE_IMAGES=()
  for ref in "${KUBEADM_IMAGES[@]}"; do
    name="${ref%:*}"; name="${name##*/}"
    case "$name" in
      kube-apiserver|kube-controller-manager|kube-scheduler)
        static_image "$ref" "$(find_bin "$name")" "/usr/local/bin/$name" "[\"/usr/local/bin/$name\"]" ;;
      kube-proxy)
        net_image "$ref" "$net_img" "$(find_bin kube-proxy)" /usr/local/bin/kube-proxy '["/usr/local/bin/kube-proxy"]' ;;
      etcd)
        # etcdctl/etcdutl are handy for debugging but optional
        local extra=()
        for b in etcdctl etcdutl; do [[ -n "$(find_bin $b optional)" ]] && extra+=("$(find_bin $b)"); done
        static_image "$ref" "$(find_bin etcd)" /usr/local/bin/etcd '["/usr/local/bin/etcd"]' "${extra[@]}" ;;
      coredns)
        static_image "$ref" "$(find_bin coredns)" /coredns '["/coredns"]' ;;
      pause)
        static_image "$ref" "$(find_bin pause)" /pause '["/pause"]'
        SANDBOX_IMAGE="$ref" ;;
      *) die "kubeadm lists an image this script does not know how to build: $ref" ;;
    esac
    NODE_IMAGES+=("$ref")
  done
  case "$CNI_NAME" in
    kindnetd)
      b="$(find_bin kindnetd)"
      CNI_IMAGE="kindest/kindnetd:${KIND_VERSION:-local}-$(file_sha "$b" | cut -c1-8)"
      net_image "$CNI_IMAGE" "$net_img" "$b" /bin/kindnetd '["/bin/kindnetd"]'
      CNI_PLUGIN="" ;;
    flannel)
      b="$(find_bin flanneld)"
      CNI_IMAGE="$IMAGE_PREFIX/flannel:${FLANNEL_VERSION:-local}-$(file_sha "$b" | cut -c1-8)"
      net_image "$CNI_IMAGE" "$net_img" "$b" /usr/local/bin/flanneld '["/usr/local/bin/flanneld"]'
      # the flannel CNI plugin goes into the node's CNI bin dir (stage_node)
      CNI_PLUGIN="$(find_bin flannel)" ;;
    *) die "unsupported CNI '$CNI_NAME' (clusters/versions.env): kindnetd or flannel" ;;
  esac
  NODE_IMAGES+=("$CNI_IMAGE")
  [[ -n "${SANDBOX_IMAGE:-}" ]] || die "no pause image in kubeadm's list"
}

# ------------------------------------------------------------- 4. node
stage_node() {
  local key b cid t=$SECONDS kubelet kubectl crictl
  kubelet="$(find_bin kubelet)"; kubectl="$(find_bin kubectl)"; crictl="$(find_bin crictl optional)"
  key="$( { echo "$KUBE_VERSION $BASE_KEY $SANDBOX_IMAGE $CNI_NAME $CNI_IMAGE"; echo "$COMPONENT_KEYS";
            for b in "$KUBEADM" "$kubelet" "$kubectl" ${crictl:+"$crictl"} ${CNI_PLUGIN:+"$CNI_PLUGIN"}; do echo "$(basename "$b") $(file_sha "$b")"; done;
            cat "$HERE/manifests/"*.yaml "$0" "$REPO/clusters/lib/node-containerd.sh"; } | key_of)"
  NODE_IMAGE="$IMAGE_PREFIX/node:$KUBE_VERSION-$key"
  if [[ "$(image_key "$NODE_IMAGE")" == "$key" && $FORCE == 0 ]]; then
    log "node image $NODE_IMAGE: cached"
    return 0
  fi
  log "assembling $NODE_IMAGE from $BASE_IMAGE"
  cid="$(docker run -d --privileged --entrypoint sleep --label knc.role=node-image-build "$BASE_IMAGE" infinity)"
  trap 'docker rm -f "$cid" >/dev/null 2>&1 || true' EXIT
  docker cp "$KUBEADM" "$cid:/usr/bin/kubeadm"
  docker cp "$kubelet" "$cid:/usr/bin/kubelet"
  docker cp "$kubectl" "$cid:/usr/bin/kubectl"
  [[ -n "$crictl" ]] && docker cp "$crictl" "$cid:/usr/bin/crictl"
  [[ -z "$crictl" ]] && log "note: no crictl in the toolchain; the node image has none (kind does not need it)"
  # Debian's CNI plugins live in /usr/lib/cni (/opt/cni/bin links there)
  [[ -n "$CNI_PLUGIN" ]] && docker cp "$CNI_PLUGIN" "$cid:/usr/lib/cni/$(basename "$CNI_PLUGIN")"
  docker exec "$cid" sed -i "s#@SANDBOX_IMAGE@#$SANDBOX_IMAGE#" /etc/containerd/config.toml
  node_containerd_start "$cid"
  log "importing ${#NODE_IMAGES[@]} images into the node's containerd"
  node_containerd_import "$cid" "${NODE_IMAGES[@]}"
  echo "$KUBE_VERSION" | docker exec -i "$cid" sh -c 'cat >/kind/version'
  sed -e "s#@KINDNETD_IMAGE@#$CNI_IMAGE#" -e "s#@FLANNEL_IMAGE@#$CNI_IMAGE#" "$HERE/manifests/$CNI_NAME.yaml" \
    | docker exec -i "$cid" sh -c 'mkdir -p /kind/manifests && cat >/kind/manifests/default-cni.yaml'
  docker exec -i "$cid" sh -c 'cat >/kind/manifests/default-storage.yaml' <"$HERE/manifests/default-storage.yaml"
  printf '%s\n' "${NODE_IMAGES[@]}" | docker exec -i "$cid" sh -c 'cat >/kind/images'
  node_containerd_stop "$cid"
  docker commit \
    -c 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' -c 'CMD []' \
    -c "LABEL knc.key=$key" -c "LABEL knc.kubernetes-version=$KUBE_VERSION" -c "LABEL knc.role=node-image" \
    "$cid" "$NODE_IMAGE" >/dev/null
  docker rm -f "$cid" >/dev/null
  trap - EXIT
  log "node image $NODE_IMAGE: built in $(elapsed $t)"
}

# ------------------------------------------------------------- main
stage_rootfs
[[ "$ONLY_STAGE" == rootfs ]] && { log "done in $(elapsed $T0)"; exit 0; }
stage_base
[[ "$ONLY_STAGE" == base ]] && { log "done in $(elapsed $T0)"; echo "BASE_IMAGE=$BASE_IMAGE"; exit 0; }
resolve_toolchain
stage_images
[[ "$ONLY_STAGE" == images ]] && { log "done in $(elapsed $T0)"; printf 'IMAGE=%s\n' "${NODE_IMAGES[@]}"; exit 0; }
stage_node
log "done in $(elapsed $T0)"
echo "NODE_IMAGE=$NODE_IMAGE"
