// Expected: a client outside the cluster (a container on the nodes' network) reaches a
// LoadBalancer Service on its external IP, every request is answered, and the answers spread over
// every endpoint: each backend answers, and the counts are consistent with a uniform spread
// (chi-square goodness-of-fit, alpha 0.001). With 90 requests over 3 backends, a backend unseen
// by chance has probability 3·(2/3)^90 ≈ 4e-16. The address leads to one node (layer 2: the node
// that answers ARP for it), whose kube-proxy spreads over all endpoints (policy Cluster).
import { chiSquareGoodnessOfFit } from '../../../helpers/spread.ts';
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

/** Requests sent to the external IP. */
const requests = 90;
/** Significance of the uniformity test. */
const alpha = 0.001;

export default defineCheck<LoadBalancerFixtures>({
  id: 'loadbalancer/the-external-ip-answers-outside-clients-from-every-backend',
  title:
    'a LoadBalancer Service answers outside clients on its external IP, spread over every backend',
  assess: async (ctx, f, evidence) => {
    const { ip } = await f.address('web');
    await spreadUntil({
      what: `outside ${f.outside.ip} → web external IP ${ip}:80`,
      exec: (argv) => f.outside.exec(argv),
      targets: [{ label: 'web', url: httpURL(ip, 80) }],
      options: { requests, abandonAfter: 3 },
      evidence,
      judge: (tallies) => {
        const mismatches: string[] = [];
        const rows = tallies.map((t) => {
          const missing = f.webPods.filter((p) => !t.backends.has(p));
          const strangers = [...t.backends.keys()].filter((b) => !f.webPods.includes(b));
          const counts = f.webPods.map((p) => t.backends.get(p) ?? 0);
          const test =
            reached(t) > 0 && missing.length === 0
              ? chiSquareGoodnessOfFit(counts, alpha)
              : undefined;
          if (reached(t) !== requests || missing.length > 0 || strangers.length > 0) {
            mismatches.push(
              `expected Reached ${requests}/${requests} from ${f.webPods.join(', ')}, observed ${describeOutcomes(t)}` +
                (missing.length > 0 ? `, no answer from ${missing.join(', ')}` : '') +
                (strangers.length > 0 ? `, answers from unknown ${strangers.join(', ')}` : '') +
                (t.firstError === undefined ? '' : ` (${t.firstError})`),
            );
          } else if (test?.rejected === true) {
            mismatches.push(
              `the spread ${describeCounts(t.backends)} is not uniform (chi-square ${test.statistic.toFixed(1)} > ${test.criticalValue.toFixed(1)}, p=${test.pValue.toExponential(2)} < ${alpha})`,
            );
          }
          return [
            `${ip}:80`,
            `Reached ${requests}/${requests}, ${f.webPods.length} backends, uniform`,
            describeOutcomes(t),
            describeCounts(t.backends),
            test === undefined ? '-' : `p=${test.pValue.toFixed(3)}`,
          ];
        });
        return {
          table: renderTable(
            ['destination', 'expected', 'observed', 'backends seen', 'chi-square'],
            rows,
          ),
          mismatches,
        };
      },
    });
    ctx.log(`web external IP ${ip} answered from ${f.webPods.length} backends`);
  },
});
