// Break: an overlay MTU black hole. On every node, a rule at the top of filter OUTPUT drops the
// overlay's encapsulated packets (UDP to the VXLAN device's port) of 1200 bytes or more, with no
// ICMP "fragmentation needed": what an underlay whose MTU is smaller than the overlay assumes does.
// Requests, small replies and DNS answers between pods of different nodes fit in packets below
// that size and still pass; a reply of several MiB needs full-size segments and stalls after its
// headers. Traffic that does not cross the overlay (kubelet, the API server, the nodes' network)
// is untouched. Repair: delete the rule on every node.
import type { Break, Repair, SelftestCluster } from '../break.ts';
import { insertRule, nodeContainers, onNode } from '../break.ts';
import { checks } from '../checks.ts';
import { largeFileBytes } from '../../suites/framework/large-file.ts';

/** Encapsulated packets of this many bytes or more are dropped (full-size ones are 1500). */
const dropFrom = 1200;

/** The UDP port of the node's VXLAN device (flannel's vxlan backend: 8472). */
async function vxlanPort(node: string): Promise<string> {
  const r = await onNode(node, ['ip', '-d', '-o', 'link', 'show', 'type', 'vxlan']);
  const port = /\bdstport (\d+)/.exec(r.stdout)?.[1];
  if (port === undefined)
    throw new Error(`${node} has no VXLAN device: this break needs a VXLAN overlay (flannel)`);
  return port;
}

/** Inserts the drop on one node; returns its repair. */
async function blackHole(cluster: SelftestCluster, node: string): Promise<Repair> {
  return insertRule(cluster, node, 'filter', 'OUTPUT', [
    '-p',
    'udp',
    '--dport',
    await vxlanPort(node),
    '-m',
    'length',
    '--length',
    `${dropFrom}:65535`,
    '-m',
    'comment',
    '--comment',
    'kube-netconform selftest: large-packets-dropped-between-nodes',
    '-j',
    'DROP',
  ]);
}

// "… → …: expected 4194304 bytes with sha256 …, observed TimedOut after 0 of 4194304 bytes (curl: (28) …)"
const shortTransfer = new RegExp(
  `expected ${largeFileBytes} bytes [^\\n]*observed TimedOut after \\d+ of ${largeFileBytes} bytes`,
);

export default {
  name: 'large-packets-dropped-between-nodes',
  description: `overlay (VXLAN) packets of ${dropFrom} bytes or more dropped in filter OUTPUT on every node, no ICMP`,
  suites: ['pod-networking', 'clusterip', 'nodeport'],
  apply: async (cluster) => {
    const repairs: Repair[] = [];
    const repairAll: Repair = async () => {
      for (const repair of repairs) await repair();
    };
    try {
      for (const node of nodeContainers(cluster)) repairs.push(await blackHole(cluster, node));
    } catch (error) {
      await repairAll(); // the nodes done so far; the caller sees the apply fail
      throw error;
    }
    return repairAll;
  },
  mustFail: [
    { check: checks.podNetworking.largeReply, message: shortTransfer },
    { check: checks.clusterip.largeReply, message: shortTransfer },
    { check: checks.nodeport.largeReply, message: shortTransfer },
  ],
  mustPass: [
    checks.podNetworking.otherNode,
    checks.podNetworking.sameNode,
    checks.podNetworking.egress,
    checks.clusterip.byName,
    checks.clusterip.spread,
    checks.nodeport.everyNode,
    checks.nodeport.clusterIpFromInside,
  ],
} satisfies Break;
