// Break: a firewall that drops forwarded UDP to one port. On every node, a rule at the top of filter
// FORWARD drops UDP with destination port 9000 (the echo pods' port, suites/framework/udp-echo.ts),
// after kube-proxy's DNAT: datagrams to the `echo` ClusterIP and NodePort never reach a pod, while
// TCP to the same port number, and every other UDP (DNS, the VXLAN overlay, which is node traffic
// in INPUT/OUTPUT), still pass. The UDP checks must fail with "NoAnswer"; the TCP side of the
// shared port and the TCP Service checks must pass. Repair: delete the rule on every node.
import type { Break, Repair, SelftestCluster } from '../break.ts';
import { insertRule, nodeContainers } from '../break.ts';
import { checks } from '../checks.ts';
import { echoPort } from '../../suites/framework/udp-echo.ts';

/** Inserts the drop on one node; returns its repair. */
async function dropUdp(cluster: SelftestCluster, node: string): Promise<Repair> {
  return insertRule(cluster, node, 'filter', 'FORWARD', [
    '-p',
    'udp',
    '--dport',
    String(echoPort),
    '-m',
    'comment',
    '--comment',
    'kube-netconform selftest: udp-to-the-echo-port-dropped-in-forward',
    '-j',
    'DROP',
  ]);
}

export default {
  name: 'udp-to-the-echo-port-dropped-in-forward',
  description: `forwarded UDP to port ${echoPort} dropped in filter FORWARD on every node (TCP passes)`,
  suites: ['clusterip', 'nodeport'],
  apply: async (cluster) => {
    const repairs: Repair[] = [];
    const repairAll: Repair = async () => {
      for (const repair of repairs) await repair();
    };
    try {
      for (const node of nodeContainers(cluster)) repairs.push(await dropUdp(cluster, node));
    } catch (error) {
      await repairAll(); // the nodes done so far; the caller sees the apply fail
      throw error;
    }
    return repairAll;
  },
  mustFail: [
    { check: checks.clusterip.udpEveryEndpoint, message: /\/UDP: expected .*NoAnswer=/ },
    { check: checks.clusterip.tcpAndUdpOnOnePort, message: /UDP: expected .*NoAnswer=/ },
    { check: checks.nodeport.udpEveryNode, message: /UDP: expected .*NoAnswer=/ },
  ],
  mustPass: [
    checks.clusterip.byName,
    checks.clusterip.spread,
    checks.nodeport.clusterIpFromInside,
    checks.nodeport.allocatedInRange,
  ],
} satisfies Break;
