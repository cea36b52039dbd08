// Expected: a client outside the cluster (a container on the nodes' network) reaches a
// LoadBalancer Service on its external IP, all 600 requests are answered, and the answers spread
// over every endpoint: each backend answers, and the counts pass a chi-square test against uniform
// at alpha 5e-7 (uniformSpreadTest in helpers/spread.ts). The address leads to one node (layer 2:
// the node that answers ARP for it), whose kube-proxy spreads over all endpoints (policy Cluster),
// at random per connection (or in turn with IPVS round robin, which passes the test as well).
// Rounds are sent until one is answered in full by every backend (the address and the rules may
// still be settling), and the counts of that round are tested once. Over the 3 backends a correct
// proxy fails the test with probability 4.9e-7, and leaves a backend out of a round with
// probability 3·(2/3)^600 ≈ 7e-106 (the false-alarm rate), while a 0.5/0.25/0.25 skew (150/75/75
// of 300) is caught with probability 0.9992 (the power).
import { chiSquareGoodnessOfFit, uniformSpreadTest } from '../../../helpers/spread.ts';
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

/** Requests sent to the external IP, and the significance level of the uniformity test. */
const { requests, alpha } = uniformSpreadTest;

export default defineCheck<LoadBalancerFixtures>({
  id: 'loadbalancer/the-external-ip-answers-outside-clients-from-every-backend',
  title:
    'a LoadBalancer Service answers outside clients on its external IP, spread over every backend',
  skipUnless: needsOutsideHost,
  assess: async (ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    const { ip } = await f.address('web');
    const what = `outside ${outside.ip} → web external IP ${ip}:80`;
    const [tally] = await spreadUntil({
      what,
      exec: (argv) => outside.exec(argv),
      targets: [{ label: 'web', url: httpURL(ip, 80) }],
      options: { requests, abandonAfter: 3 },
      evidence,
      judge: (tallies) => {
        const mismatches: string[] = [];
        const rows = tallies.map((t) => {
          const missing = f.webPods.filter((p) => !t.backends.has(p));
          const strangers = [...t.backends.keys()].filter((b) => !f.webPods.includes(b));
          if (reached(t) !== requests || missing.length > 0 || strangers.length > 0) {
            mismatches.push(
              `expected Reached ${requests}/${requests} from ${f.webPods.join(', ')}, observed ${describeOutcomes(t)}` +
                (missing.length > 0 ? `, no answer from ${missing.join(', ')}` : '') +
                (strangers.length > 0 ? `, answers from unknown ${strangers.join(', ')}` : '') +
                (t.firstError === undefined ? '' : ` (${t.firstError})`),
            );
          }
          return [
            `${ip}:80`,
            `Reached ${requests}/${requests}, ${f.webPods.length} backends`,
            describeOutcomes(t),
            describeCounts(t.backends),
          ];
        });
        return {
          table: renderTable(['destination', 'expected', 'observed', 'backends seen'], rows),
          mismatches,
        };
      },
    });
    const backends = tally?.backends ?? new Map<string, number>();
    const test = chiSquareGoodnessOfFit(
      f.webPods.map((p) => backends.get(p) ?? 0),
      alpha,
    );
    const verdict = `chi-square ${test.statistic.toFixed(1)} (df ${test.degreesOfFreedom}), p=${test.pValue.toExponential(2)}; uniform is rejected when p < ${alpha} (chi-square > ${test.criticalValue.toFixed(1)})`;
    evidence.note('spread', `${describeCounts(backends)}\n${verdict}`);
    if (test.rejected) {
      throw new CheckFailure(
        `${what}: the spread ${describeCounts(backends)} is not uniform (${verdict})`,
        evidence,
      );
    }
    ctx.log(`web external IP ${ip} answered from ${f.webPods.length} backends`);
  },
});
