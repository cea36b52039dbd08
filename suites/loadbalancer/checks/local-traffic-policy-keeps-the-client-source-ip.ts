// Expected: through a LoadBalancer Service with externalTrafficPolicy Local, the backend sees the
// outside client's own IP (the "client:" line of its answer is the outside container's address).
// With the Local policy traffic to the external IP is delivered only to endpoints on the node that
// received it, without SNAT; the implementation must therefore send the traffic to a node that has
// an endpoint (MetalLB layer 2 announces the address only from such nodes).
import { defineCheck } from '../../framework/check.ts';
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

/** Requests through the Local Service. */
const requests = 10;

export default defineCheck<LoadBalancerFixtures>({
  id: 'loadbalancer/local-traffic-policy-keeps-the-client-source-ip',
  title:
    "externalTrafficPolicy Local on a LoadBalancer Service keeps the outside client's source IP",
  skipUnless: needsOutsideHost,
  assess: async (_ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    const { ip } = await f.address('pinned-local');
    await spreadUntil({
      what: `outside ${outside.ip} → pinned-local external IP ${ip}:80`,
      exec: (argv) => outside.exec(argv),
      targets: [{ label: 'Local', url: httpURL(ip, 80) }],
      options: { requests, abandonAfter: 3 },
      evidence,
      judge: (tallies) => {
        const mismatches: string[] = [];
        const rows = tallies.map((t) => {
          const seen = [...t.clients.keys()];
          if (reached(t) !== requests) {
            mismatches.push(
              `expected Reached ${requests}/${requests} from ${f.pinnedPod} on ${f.pinnedNode}, observed ${describeOutcomes(t)}` +
                (t.firstError === undefined ? '' : ` (${t.firstError})`),
            );
          } else if (seen.some((c) => c !== outside.ip)) {
            mismatches.push(
              `with policy Local the backend should see the client as ${outside.ip} (the outside container); ` +
                `it saw ${describeCounts(t.clients)} (SNAT applied)`,
            );
          }
          return [`${ip}:80`, outside.ip, describeCounts(t.clients), describeOutcomes(t)];
        });
        return {
          table: renderTable(
            ['destination', 'expected client IP', 'client IPs seen', 'outcomes'],
            rows,
          ),
          mismatches,
        };
      },
    });
  },
});
