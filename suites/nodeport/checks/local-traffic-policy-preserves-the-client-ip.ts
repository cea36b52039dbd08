// Expected: through a NodePort Service with externalTrafficPolicy Local, the backend sees the outside
// client's own IP (the "client:" line of its answer is the outside container's address): the node
// delivers to its local endpoint without SNAT, which is the point of the Local policy. For contrast
// the table also shows the address the same backend sees through the Cluster policy on a node
// without the endpoint (an address of the forwarding node, after SNAT: on flannel its flannel.1
// address); that row is recorded, not judged.
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

/** Requests through the Local Service. */
const requests = 5;

export default defineCheck<NodePortFixtures>({
  id: 'nodeport/local-traffic-policy-preserves-the-client-ip',
  title: "externalTrafficPolicy Local delivers with the outside client's own source IP",
  skipUnless: needsOutsideHost,
  assess: async (_ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    const endpointNode = f.nodes.find((n) => n.name === f.pinnedNode);
    if (endpointNode === undefined) throw new Error(`node ${f.pinnedNode} not in the node list`);
    const otherNode = f.nodes.find((n) => n.name !== f.pinnedNode);
    const targets = [
      {
        label: 'Local',
        url: httpURL(endpointNode.internalIP, nodePortOf(f.pinnedLocal)),
      },
      ...(otherNode === undefined
        ? []
        : [
            {
              label: 'Cluster (contrast)',
              url: httpURL(otherNode.internalIP, nodePortOf(f.pinnedCluster)),
            },
          ]),
    ];
    await spreadUntil({
      what: `outside ${outside.ip} → pinned-local on ${endpointNode.name}`,
      exec: (argv) => outside.exec(argv),
      targets,
      options: { requests, abandonAfter: 3 },
      evidence,
      judge: (tallies) => {
        const [local, contrast] = tallies;
        const mismatches: string[] = [];
        if (local !== undefined) {
          const seen = [...local.clients.keys()];
          if (reached(local) !== requests) {
            mismatches.push(
              `${endpointNode.name} (local endpoint) with policy Local: expected Reached ${requests}/${requests}, observed ${describeOutcomes(local)}`,
            );
          } else if (seen.some((ip) => ip !== outside.ip)) {
            mismatches.push(
              `with policy Local the backend should see the client as ${outside.ip} (the outside container); ` +
                `it saw ${describeCounts(local.clients)} (SNAT applied)`,
            );
          }
        }
        const rows = [
          [
            `Local via ${endpointNode.name} (${endpointNode.internalIP})`,
            outside.ip,
            local === undefined ? 'not probed' : describeCounts(local.clients),
            local === undefined ? '' : describeOutcomes(local),
          ],
          ...(contrast === undefined || otherNode === undefined
            ? []
            : [
                [
                  `Cluster via ${otherNode.name} (${otherNode.internalIP})`,
                  '(not judged)',
                  describeCounts(contrast.clients),
                  describeOutcomes(contrast),
                ],
              ]),
        ];
        return {
          table: renderTable(['route', 'expected client IP', 'client IPs seen', 'outcomes'], rows),
          mismatches,
        };
      },
    });
  },
});
