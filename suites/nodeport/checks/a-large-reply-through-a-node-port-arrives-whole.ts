// Expected: a client outside the cluster fetches a reply of 4 MiB through the NodePort of a node
// that does not run the Service's only endpoint (externalTrafficPolicy Cluster), and it arrives
// whole: every byte, with the sha256 the backend computed. That node forwards the request to the
// backend's node over the pod network, and the reply comes back the same way, so a large reply
// needs full-size segments across the overlay: an overlay MTU black hole (large packets dropped
// without ICMP) passes every small-reply NodePort check and fails this one. The client is outside
// the cluster because that is who a NodePort serves.
import { defineCheck } from '../../framework/check.ts';
import { expectWholeFile } from '../../framework/large-file.ts';
import { nodePortOf, type NodePortFixtures } from '../fixtures.ts';
import { needsOutsideHost, needsTwoNodes } from '../../framework/cluster-facts.ts';
import { outsideOf } from '../../framework/outside.ts';

export default defineCheck<NodePortFixtures>({
  id: 'nodeport/a-large-reply-through-a-node-port-arrives-whole',
  title:
    'a 4 MiB reply from a backend on another node arrives whole through a NodePort, to a client outside the cluster',
  skipUnless: (facts) =>
    needsOutsideHost(facts) ?? needsTwoNodes(facts, 'a node without the endpoint needs 2'),
  assess: async (_ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    const via = f.nodes.find((n) => n.name !== f.pinnedNode);
    if (via === undefined) throw new Error(`no node other than ${f.pinnedNode}`);
    const port = nodePortOf(f.large);
    await expectWholeFile(
      (argv) => outside.exec(argv),
      {
        host: via.internalIP,
        port,
        route: `outside ${outside.ip} → ${via.name} ${via.internalIP}:${port} (backend on ${f.pinnedNode})`,
        ready: 'proxyRulesConverge',
      },
      f.largeFile,
      evidence,
    );
  },
});
