// Expected: a NodePort Service (externalTrafficPolicy Cluster) is served on EVERY node's InternalIP,
// control plane included, to a client outside the cluster, and each node spreads the requests over
// all the Service's endpoints. kube-proxy programs the node port on every node whether or not it runs
// a backend, and with the Cluster policy any node forwards to any ready endpoint. 30 requests per
// node leave a backend unseen by chance with probability (2/3)^30 ≈ 5e-6.
// Table: node → expected (Reached n/n, every backend) × observed (outcomes, backends with counts).
import { defineCheck } from '../../framework/check.ts';
import { httpURL, nodePortOf, type NodePortFixtures } from '../fixtures.ts';
import {
  describeCounts,
  describeOutcomes,
  reached,
  renderTable,
  spreadUntil,
} from '../request-spread.ts';

/** Requests sent through each node. */
const requestsPerNode = 30;

export default defineCheck<NodePortFixtures>({
  id: 'nodeport/every-node-serves-the-node-port-to-outside-clients-across-all-backends',
  title:
    "a NodePort Service answers on every node's InternalIP from outside the cluster, from every backend",
  assess: async (ctx, f, evidence) => {
    const port = nodePortOf(f.web);
    const targets = f.nodes.map((n) => ({ label: n.name, url: httpURL(n.internalIP, port) }));
    const expectedBackends = f.webPods.join(' ');
    await spreadUntil({
      what: `outside ${f.outside.ip} → web NodePort ${port} on every node`,
      exec: (argv) => f.outside.exec(argv),
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
