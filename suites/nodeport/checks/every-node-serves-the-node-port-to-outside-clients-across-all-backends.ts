// Expected: a NodePort Service (externalTrafficPolicy Cluster) is served on EVERY node's InternalIP,
// control plane included, to a client outside the cluster, and each node spreads the requests over
// all the Service's endpoints. kube-proxy programs the node port on every node whether or not it runs
// a backend, and with the Cluster policy any node forwards to any ready endpoint. Rounds are sent
// until one matches (kube-proxy may still be syncing); each node gets the fewest requests per round
// with which a correct proxy, picking an endpoint at random, leaves a backend unseen at some node
// with probability at most 1e-6 (coverageRequests in helpers/spread.ts: 40 per node for 3 backends
// on 3 nodes, 8.1e-7). A round sent once the rules are synced is a fair sample, so that is also
// the chance of a false failure. A node that does not serve, or a backend that never answers, fails
// every round: always caught.
// Table: node → expected (Reached n/n, every backend) × observed (outcomes, backends with counts).
import { coverageRequests } from '../../../helpers/spread.ts';
import { defineCheck } from '../../framework/check.ts';
import { httpURL, nodePortOf, type NodePortFixtures } from '../fixtures.ts';
import {
  describeCounts,
  describeOutcomes,
  reached,
  renderTable,
  spreadUntil,
} from '../request-spread.ts';
import { needsOutsideHost } from '../../framework/cluster-facts.ts';
import { outsideOf } from '../../framework/outside.ts';

export default defineCheck<NodePortFixtures>({
  id: 'nodeport/every-node-serves-the-node-port-to-outside-clients-across-all-backends',
  title:
    "a NodePort Service answers on every node's InternalIP from outside the cluster, from every backend",
  skipUnless: needsOutsideHost,
  assess: async (ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    const port = nodePortOf(f.web);
    const targets = f.nodes.map((n) => ({ label: n.name, url: httpURL(n.internalIP, port) }));
    const expectedBackends = f.webPods.join(' ');
    const requestsPerNode = coverageRequests(f.webPods.length, targets.length);
    await spreadUntil({
      what: `outside ${outside.ip} → web NodePort ${port} on every node`,
      exec: (argv) => outside.exec(argv),
      targets,
      options: { requests: requestsPerNode, abandonAfter: 3 },
      evidence,
      judge: (tallies) => {
        const mismatches: string[] = [];
        const rows = tallies.map((t) => {
          const node = f.nodes.find((n) => n.name === t.label);
          const missing = f.webPods.filter((p) => !t.backends.has(p));
          const strangers = [...t.backends.keys()].filter((b) => !f.webPods.includes(b));
          const ok =
            reached(t) === requestsPerNode && missing.length === 0 && strangers.length === 0;
          if (!ok) {
            mismatches.push(
              `${t.label}: expected Reached ${requestsPerNode}/${requestsPerNode} from ${f.webPods.length} backends, ` +
                `observed ${describeOutcomes(t)}` +
                (missing.length > 0 ? `, no answer from ${missing.join(', ')}` : '') +
                (strangers.length > 0 ? `, answers from unknown ${strangers.join(', ')}` : '') +
                (t.firstError === undefined ? '' : ` (${t.firstError})`),
            );
          }
          return [
            t.label,
            node?.internalIP ?? '?',
            `Reached ${requestsPerNode}/${requestsPerNode}`,
            describeOutcomes(t),
            describeCounts(t.backends),
            ok ? 'ok' : 'MISMATCH',
          ];
        });
        const table = renderTable(
          ['node', 'InternalIP', 'expected', 'observed', 'backends seen', ''],
          rows,
        );
        return {
          table: `expected backends on every node: ${expectedBackends}\n${table}`,
          mismatches,
        };
      },
    });
    ctx.log(`web NodePort ${port} served on ${f.nodes.length} node(s)`);
  },
});
