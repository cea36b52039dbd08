// Break: pods on one worker get no traffic from other nodes. A rule in the raw table's PREROUTING
// chain of worker2 drops what arrives from the other nodes' pods: with flannel (the offline
// clusters' CNI) everything decapsulated from its VXLAN device flannel.1; with a routed CNI
// (kindnet, the public node image's) whatever comes in on eth0 for the node's pod CIDR. A ClusterIP
// client then never reaches the backends on the other side of that cut (0 requests), and a pod
// cannot reach a pod on the other node; pods on one node still talk to each other. Repair: delete
// the rule.
import type { Break, SelftestCluster } from '../break.ts';
import { insertRule, nodeContainer } from '../break.ts';
import { runHost } from '../../helpers/shell.ts';
import { checks } from '../checks.ts';

const role = 'worker2';
const comment = [
  '-m',
  'comment',
  '--comment',
  'kube-netconform selftest: backend-never-receives-traffic',
];

/** The rule that cuts the node's pods off from other nodes' pods, by CNI. */
async function cutRule(cluster: SelftestCluster, node: string): Promise<string[]> {
  const flannel = await runHost(['docker', 'exec', node, 'ip', 'link', 'show', 'flannel.1']);
  if (flannel.exitCode === 0) return ['-i', 'flannel.1', ...comment, '-j', 'DROP'];
  const n = await cluster.core.readNode({ name: node });
  const cidr = n.spec?.podCIDR;
  if (cidr === undefined) throw new Error(`node ${node} has no flannel.1 and no spec.podCIDR`);
  return ['-i', 'eth0', '-d', cidr, ...comment, '-j', 'DROP'];
}

export default {
  name: 'backend-never-receives-traffic',
  description: `traffic from other nodes' pods to the pods of ${role} dropped in raw PREROUTING`,
  suites: ['clusterip', 'pod-networking'],
  apply: async (cluster) => {
    const node = nodeContainer(cluster, role);
    return insertRule(cluster, node, 'raw', 'PREROUTING', await cutRule(cluster, node));
  },
  mustFail: [
    // A backend of `web` with 0 requests: the warm-up's "observed web-…=0 …" or the spread's
    // "web-… got 0 of 300".
    { check: checks.clusterip.spread, message: /\bweb-\S+=0\b|\bweb-\S+ got 0 of \d+/ },
    {
      check: checks.podNetworking.otherNode,
      message: /expected Reached, observed (TimedOut|Unreachable)/,
    },
  ],
  mustPass: [checks.podNetworking.localhost, checks.podNetworking.sameNode],
} satisfies Break;
