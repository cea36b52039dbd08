# shellcheck shell=bash
# Sourced by the node image builders (clusters/node-image/build.sh, clusters/guest/node-with-fixtures.sh):
# puts images into the containerd of a running build container of a node image, the way kind's
# nodes find them preloaded, with no registry. The caller runs the container with
# `--entrypoint sleep ... infinity` and defines die().

# node_containerd_start <container>: starts containerd in it and waits until ctr answers.
node_containerd_start() {
  local cid=$1
  docker exec "$cid" sh -c 'mkdir -p /var/log && (containerd >/var/log/knc-build-containerd.log 2>&1 &)'
  for _ in $(seq 1 60); do
    docker exec "$cid" ctr version >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  docker exec "$cid" cat /var/log/knc-build-containerd.log >&2
  die "containerd did not start in the build container"
}

# node_containerd_import <container> <image>...: streams `docker save` of the host's images into
# the k8s.io namespace without unpacking them (containerd unpacks an image when a pod first uses
# it), then checks that each is listed.
node_containerd_import() {
  local cid=$1 have image
  shift
  docker save "$@" |
    docker exec -i "$cid" ctr -n k8s.io images import --all-platforms --no-unpack --digests - >/dev/null
  have=$(docker exec "$cid" ctr -n k8s.io images ls -q)
  for image in "$@"; do
    # ctr lists the name as given, or with the default registry (and library/) prefixed
    awk -v i="$image" '$0 == i || substr($0, length($0) - length(i)) == "/" i {f=1} END {exit !f}' \
      <<<"$have" || die "not imported: $image (containerd lists: $(tr '\n' ' ' <<<"$have"))"
  done
}

# node_containerd_stop <container>: stops containerd and removes its log, before `docker commit`.
# `sleep` is PID 1 of the build container and reaps nothing: an exited containerd stays a zombie,
# so this waits for "gone or zombie", not for "gone".
node_containerd_stop() {
  local cid=$1
  docker exec "$cid" sh -c 'pkill -x containerd
    for i in $(seq 1 100); do
      alive=0
      for p in $(pgrep -x containerd); do
        [ "$(cut -d" " -f3 /proc/$p/stat 2>/dev/null)" = Z ] || alive=1
      done
      [ $alive = 0 ] && exit 0
      sleep 0.2
    done
    exit 1' || die "containerd did not stop"
  docker exec "$cid" rm -f /var/log/knc-build-containerd.log
}
