#!/usr/bin/env bash
# clusters/loadbalancer/uninstall.sh <kind-binary> <cluster-name> <kubeconfig>
# Removes what install.sh installed (namespace metallb-system, the ClusterRoles and their
# bindings, the metallb.io CRDs). The images stay in the nodes until the cluster goes away.
set -euo pipefail
exec bash "$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)/install.sh" --uninstall "$@"
