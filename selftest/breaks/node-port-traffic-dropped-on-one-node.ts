// Break: one worker drops NodePort traffic addressed to it. A rule in the raw table's PREROUTING
// chain (seen before kube-proxy's DNAT in nat PREROUTING, and never touched by kube-proxy's resyncs)
// drops TCP to the worker's own address on the default node-port range 30000-32767. The NodePort
// check that reaches the Service on every node must fail naming that node; the Service still answers
// on its ClusterIP from a pod (same Service, another path), and ClusterIP traffic spreads as before.
// Repair: delete the rule.
import type { Break } from '../break.ts';
import { escapeRegExp, insertRule, nodeContainer, nodeIP } from '../break.ts';
import { checks } from '../checks.ts';

const role = 'worker';

export default {
  name: 'node-port-traffic-dropped-on-one-node',
  description: `TCP to ports 30000-32767 of the node ${role}'s own address dropped in raw PREROUTING`,
  suites: ['nodeport'],
  apply: async (cluster) => {
    const node = nodeContainer(cluster, role);
    const ip = await nodeIP(node);
    return insertRule(cluster, node, 'raw', 'PREROUTING', [
      '-d',
      `${ip}/32`,
      '-p',
      'tcp',
      '--dport',
      '30000:32767',
      '-m',
      'comment',
      '--comment',
      'kube-netconform selftest: node-port-traffic-dropped-on-one-node',
      '-j',
      'DROP',
    ]);
  },
  mustFail: [
    {
      check: checks.nodeport.everyNode,
      // "<cluster>-worker: expected Reached 30/30 …, observed TimedOut …" (the colon keeps worker2 out).
      message: (cluster) =>
        new RegExp(
          `${escapeRegExp(nodeContainer(cluster, role))}: expected Reached [^\\n]*observed [^\\n]*(TimedOut|Refused|Unreachable)`,
        ),
    },
  ],
  mustPass: [checks.nodeport.clusterIpFromInside, checks.nodeport.allocatedInRange],
} satisfies Break;
