// Expected: a pod reaches a pod on another node by its pod IP, and the server sees the client's pod
// IP. Kubernetes' network model requires pod-to-pod traffic across nodes without NAT; the CNI's
// routes or overlay carry it.
import { defineCheck } from '../../framework/check.ts';
import { expectDirectReach } from '../direct-pod-probe.ts';
import type { PodNetworkingFixtures } from '../fixtures.ts';
import { needsTwoNodes } from '../../framework/cluster-facts.ts';

export default defineCheck<PodNetworkingFixtures>({
  id: 'pod-networking/pod-reaches-pod-on-another-node',
  title:
    'a pod reaches a pod on another node by pod IP, and the server sees the client pod IP (no NAT)',
  skipUnless: (facts) => needsTwoNodes(facts),
  assess: async (ctx, f, evidence) => {
    if (f.serverOtherNode === undefined) throw new Error('no server on a second node');
    await expectDirectReach(ctx, f.client, f.serverOtherNode, evidence);
  },
});
