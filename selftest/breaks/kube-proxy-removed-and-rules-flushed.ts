// Break (destructive, runs last, no repair): kube-proxy is gone. The DaemonSet kube-system/kube-proxy
// is deleted (its pods with it), then on every node the rules it left are flushed: every KUBE-*
// chain of the nat, filter and mangle tables except the kubelet's own (KUBE-FIREWALL and the
// canaries), the nftables table `kube-proxy` (nftables mode), and the connection-tracking table,
// so no earlier translation lingers. The node image has no kube-proxy binary, so
// `kube-proxy --cleanup` is not an option. Then nothing answers :10249 (the mode check observes
// Refused), ClusterIPs and node ports lead nowhere, while pod-to-pod traffic (the CNI's) still flows.
// kube-proxy/a-service-without-endpoints-refuses-connections is left unjudged: on offline clusters
// the host rejects what leaves the nodes' network (clusters/host/contain-egress.sh), so a ClusterIP
// without any rule may still look refused from a pod.
import { poll } from '../../helpers/poll.ts';
import type { Break } from '../break.ts';
import { nodeContainers, onNode } from '../break.ts';
import { checks } from '../checks.ts';

const namespace = 'kube-system';
const name = 'kube-proxy';

/** Flushes kube-proxy's rules on a node (iptables, ip6tables and nftables modes alike). */
const flushScript = `
set -u
for cmd in iptables ip6tables; do
  command -v "$cmd" >/dev/null || continue
  for table in nat filter mangle; do
    for chain in $("$cmd" -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ { print $2 }'); do
      case "$chain" in KUBE-FIREWALL|KUBE-KUBELET-CANARY|KUBE-IPTABLES-HINT) continue ;; esac
      "$cmd" -t "$table" -F "$chain"
      echo "flushed $cmd -t $table $chain"
    done
  done
done
for family in ip ip6; do
  nft delete table "$family" kube-proxy 2>/dev/null && echo "deleted nft table $family kube-proxy"
done
conntrack -F 2>/dev/null || true
`;

export default {
  name: 'kube-proxy-removed-and-rules-flushed',
  description: 'DaemonSet kube-system/kube-proxy deleted and its rules flushed on every node',
  suites: ['kube-proxy', 'nodeport', 'pod-networking'],
  apply: async (cluster) => {
    await cluster.apps.deleteNamespacedDaemonSet({
      name,
      namespace,
      propagationPolicy: 'Foreground',
    });
    await poll({
      what: `every pod of ${namespace}/${name} gone`,
      deadline: 'deploymentReady',
      intervalMs: 1000,
      attempt: async () => {
        const pods = await cluster.core.listNamespacedPod({
          namespace,
          labelSelector: 'k8s-app=kube-proxy',
        });
        return {
          done: pods.items.length === 0,
          state: pods.items.length,
          summary: `${pods.items.length} kube-proxy pod(s) left`,
        };
      },
    });
    for (const node of nodeContainers(cluster)) {
      const r = await onNode(node, ['sh', '-c', flushScript]);
      const flushed = r.stdout
        .trim()
        .split('\n')
        .filter((l) => l !== '');
      cluster.log(`${node}: ${flushed.length} kube-proxy chain(s)/table(s) flushed`);
    }
    return undefined;
  },
  mustFail: [
    {
      // One row per node: "<node>  expected iptables  observed (Refused)".
      check: checks.kubeProxy.mode,
      message: /expected \w+\s+observed \((Refused|TimedOut)\)/,
    },
    {
      check: checks.nodeport.clusterIpFromInside,
      message: /expected Reached \d+\/\d+[^\n]*observed [^\n]*(TimedOut|Refused|Unreachable)/,
    },
    {
      check: checks.nodeport.everyNode,
      message: /expected Reached \d+\/\d+[^\n]*observed [^\n]*(TimedOut|Refused|Unreachable)/,
    },
  ],
  mustPass: [
    checks.podNetworking.localhost,
    checks.podNetworking.sameNode,
    checks.podNetworking.otherNode,
  ],
} satisfies Break;
