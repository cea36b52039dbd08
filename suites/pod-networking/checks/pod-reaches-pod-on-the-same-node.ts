// Expected: a pod reaches another pod on the same node by its pod IP, unNATed. The node's bridge or
// routes carry this traffic without leaving the node.
import { defineCheck } from '../../framework/check.ts';
import { expectDirectReach } from '../direct-pod-probe.ts';
import type { PodNetworkingFixtures } from '../fixtures.ts';

export default defineCheck<PodNetworkingFixtures>({
  id: 'pod-networking/pod-reaches-pod-on-the-same-node',
  title:
    'a pod reaches a pod on the same node by pod IP, and the server sees the client pod IP (no NAT)',
  assess: async (ctx, f, evidence) => {
    await expectDirectReach(ctx, f.client, f.serverSameNode, evidence);
  },
});
