// Break: pods are cut off from the nodes' network. On every node a firewall chain, jumped to from
// the top of filter FORWARD, drops new connections from the node's pods (its spec.podCIDR) to the
// nodes' network (the subnet of the node's eth0) unless they go to a node: the egress hardening an
// operator adds to keep workloads off an infrastructure network while they still reach the API
// server and the kubelets. The ExternalName area's target is such a host (a container on the nodes'
// network): its name still resolves (CoreDNS reaches its upstream, the node's resolver, as local
// traffic of its node, not through FORWARD), the Service name still is a CNAME to it, but nothing
// answers through it, and a pod's request to a host outside the cluster times out. In-cluster DNS
// and pod-to-pod traffic must still work.
//
// Repair: on every node, delete the jump and then the chain.
import type { Break, Repair, SelftestCluster } from '../break.ts';
import { nodeContainers, nodeIP, onNode } from '../break.ts';
import { checks } from '../checks.ts';

/** The chain holding the exemptions and the drop (iptables chain names: at most 28 characters). */
const chain = 'KNC-SELFTEST-EGRESS';
const comment = [
  '-m',
  'comment',
  '--comment',
  'kube-netconform selftest: pod-egress-to-the-nodes-network-dropped',
];

/** The subnet of a node's eth0 (the nodes' network), from its connected route. */
async function nodesSubnet(node: string): Promise<string> {
  const r = await onNode(node, ['ip', '-4', '-o', 'route', 'show', 'dev', 'eth0', 'scope', 'link']);
  const subnet = /^(\d+\.\d+\.\d+\.\d+\/\d+)\s/m.exec(r.stdout)?.[1];
  if (subnet === undefined) throw new Error(`no connected IPv4 route on eth0 of ${node}`);
  return subnet;
}

/** Applies the firewall on one node; returns its repair. */
async function cutOff(
  cluster: SelftestCluster,
  node: string,
  nodeIPs: readonly string[],
): Promise<Repair> {
  const podCIDR = (await cluster.core.readNode({ name: node })).spec?.podCIDR;
  if (podCIDR === undefined) throw new Error(`node ${node} has no spec.podCIDR`);
  const subnet = await nodesSubnet(node);
  const jump = [
    '-s',
    podCIDR,
    '-d',
    subnet,
    '-m',
    'conntrack',
    '--ctstate',
    'NEW',
    ...comment,
    '-j',
    chain,
  ];
  await onNode(node, ['iptables', '-N', chain]);
  for (const ip of nodeIPs)
    await onNode(node, ['iptables', '-A', chain, '-d', `${ip}/32`, '-j', 'RETURN']);
  await onNode(node, ['iptables', '-A', chain, ...comment, '-j', 'DROP']);
  await onNode(node, ['iptables', '-I', 'FORWARD', '1', ...jump]);
  cluster.log(
    `${node}: new connections ${podCIDR} → ${subnet} dropped in FORWARD (${chain}), except to the nodes ${nodeIPs.join(', ')}`,
  );
  return async () => {
    await onNode(node, ['iptables', '-D', 'FORWARD', ...jump]);
    await onNode(node, ['iptables', '-F', chain]);
    await onNode(node, ['iptables', '-X', chain]);
    cluster.log(`${node}: removed the FORWARD jump to ${chain} and the chain`);
  };
}

export default {
  name: 'pod-egress-to-the-nodes-network-dropped',
  description:
    "new connections from pods to the nodes' network (other than the nodes) dropped in FORWARD on every node",
  suites: ['externalname', 'pod-networking', 'dns'],
  apply: async (cluster) => {
    const nodes = nodeContainers(cluster);
    const nodeIPs = await Promise.all(nodes.map(nodeIP));
    const repairs: Repair[] = [];
    const repairAll: Repair = async () => {
      for (const repair of repairs) await repair();
    };
    try {
      for (const node of nodes) repairs.push(await cutOff(cluster, node, nodeIPs));
    } catch (error) {
      await repairAll(); // the nodes done so far; the caller sees the apply fail
      throw error;
    }
    return repairAll;
  },
  mustFail: [
    {
      // "pod client-… → http://external.<ns>.svc.cluster.local/ (ExternalName → outside-target.…):
      // expected Reached, answered by <host> (the outside server), observed TimedOut (curl: (28) …)".
      check: checks.externalname.targetAnswers,
      message: /\(ExternalName → \S+\): expected Reached[^\n]*, observed TimedOut/,
    },
    {
      check: checks.podNetworking.egress,
      message: /→ outside \S+ \S+: expected Reached with source [^\n]*, observed TimedOut/,
    },
  ],
  mustPass: [
    checks.externalname.cname,
    checks.dns.serviceName,
    checks.dns.headless,
    checks.podNetworking.localhost,
    checks.podNetworking.sameNode,
    checks.podNetworking.otherNode,
  ],
} satisfies Break;
