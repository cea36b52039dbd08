// Expected: a LoadBalancer Service is also a NodePort Service: it has a nodePort, and a client
// outside the cluster reaches it on every node's InternalIP at that port, from every backend.
// kube-proxy programs the node port for LoadBalancer Services unless allocateLoadBalancerNodePorts
// is false (it is not set here), and implementations that route to nodes rely on it. Rounds are
// sent until one matches; each node gets the fewest requests per round with which a correct proxy
// leaves a backend unseen at some node with probability at most 1e-6 (coverageRequests in
// helpers/spread.ts: 40 per node for 3 backends on 3 nodes, 8.1e-7), which bounds the chance of a
// false failure. A node that does not serve, or a backend that never answers, fails every round.
import { coverageRequests } from '../../../helpers/spread.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { httpURL } from '../../nodeport/fixtures.ts';
import {
  describeCounts,
  describeOutcomes,
  reached,
  renderTable,
  spreadUntil,
} from '../../nodeport/request-spread.ts';
import type { LoadBalancerFixtures } from '../fixtures.ts';
import { needsOutsideHost } from '../../framework/cluster-facts.ts';
import { outsideOf } from '../../framework/outside.ts';

export default defineCheck<LoadBalancerFixtures>({
  id: 'loadbalancer/the-node-port-of-a-load-balancer-service-still-answers',
  title: "a LoadBalancer Service also answers on its nodePort on every node's InternalIP",
  skipUnless: needsOutsideHost,
  assess: async (_ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    const port = f.web.spec?.ports?.[0]?.nodePort;
    if (port === undefined) {
      throw new CheckFailure(
        'Service web (type LoadBalancer) expected a nodePort, it has none (spec.ports[0].nodePort absent)',
        evidence,
      );
    }
    const requestsPerNode = coverageRequests(f.webPods.length, f.nodes.length);
    await spreadUntil({
      what: `outside ${outside.ip} → web nodePort ${port} on every node`,
      exec: (argv) => outside.exec(argv),
      targets: f.nodes.map((n) => ({ label: n.name, url: httpURL(n.internalIP, port) })),
      options: { requests: requestsPerNode, abandonAfter: 3 },
      evidence,
      judge: (tallies) => {
        const mismatches: string[] = [];
        const rows = tallies.map((t) => {
          const missing = f.webPods.filter((p) => !t.backends.has(p));
          const ok = reached(t) === requestsPerNode && missing.length === 0;
          if (!ok) {
            mismatches.push(
              `${t.label}: expected Reached ${requestsPerNode}/${requestsPerNode} from ${f.webPods.length} backends, observed ${describeOutcomes(t)}` +
                (missing.length > 0 ? `, no answer from ${missing.join(', ')}` : '') +
                (t.firstError === undefined ? '' : ` (${t.firstError})`),
            );
          }
          const ip = f.nodes.find((n) => n.name === t.label)?.internalIP ?? '?';
          return [
            t.label,
            `${ip}:${port}`,
            describeOutcomes(t),
            describeCounts(t.backends),
            ok ? 'ok' : 'MISMATCH',
          ];
        });
        return {
          table: renderTable(['node', 'address', 'observed', 'backends seen', ''], rows),
          mismatches,
        };
      },
    });
  },
});
