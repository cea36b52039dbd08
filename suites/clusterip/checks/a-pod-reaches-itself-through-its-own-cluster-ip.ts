// Expected: the pod `hairpin`, the only backend of the Service `hairpin`, requests its own ClusterIP
// and every answer comes from itself ("This is hairpin"). With one endpoint the Service proxy must
// pick the caller, so the packet leaves the pod, is translated on the node and has to go back out
// of the bridge port it came in on: that needs hairpin mode on the pod's bridge port (the CNI's
// hairpinMode). Without it the bridge drops the packet and the request times out, while every
// request whose backend is another pod still works.
import { ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { pollProbe } from '../poll-probe.ts';
import { outcomeCounts, runLoop, serviceURL } from '../request-loop.ts';

/** Requests per round; a round passes when each of them is answered by the pod itself. */
const requests = 3;

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/a-pod-reaches-itself-through-its-own-cluster-ip',
  title:
    'a pod that is the only backend of its Service reaches itself through the ClusterIP (hairpin)',
  assess: async (ctx, f, evidence) => {
    const self = f.hairpinPod.metadata?.name ?? '';
    const route = `${self} (${f.hairpinPod.spec?.nodeName ?? '?'}) → its own Service ${f.hairpin.name} ${f.hairpin.ip}:80`;
    const url = serviceURL(f.hairpin.ip);
    await pollProbe({
      evidence,
      title: `${route}, ${requests} requests`,
      what: `${route} answered by ${self} itself`,
      deadline: 'proxyRulesConverge',
      round: async () => {
        const loop = await runLoop(ctx, self, { urls: [url], rounds: requests });
        const answers = loop.requests.map((r) =>
          r.outcome === ConnectOutcome.Reached ? `Reached ${r.backend ?? 'no name'}` : r.outcome,
        );
        return {
          probe: loop.probe,
          done: loop.requests.length === requests && loop.requests.every((r) => r.backend === self),
          state: loop.requests,
          observed: `${outcomeCounts(loop.requests)} (${answers.join('; ') || 'no request'})`,
        };
      },
      failure: (observed) =>
        `${route}: expected ${requests} of ${requests} requests Reached ${self}, observed ${observed}`,
    });
  },
});
