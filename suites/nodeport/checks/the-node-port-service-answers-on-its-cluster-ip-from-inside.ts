// Expected: a NodePort Service is also a ClusterIP Service: a pod inside the cluster reaches it on
// spec.clusterIP:80, and the requests spread over every endpoint (kube-proxy programs the ClusterIP
// for every Service type but ExternalName and headless). Rounds are sent until one matches; a round
// has the fewest requests with which a correct proxy leaves a backend unseen with probability at
// most 1e-6 (coverageRequests in helpers/spread.ts: 37 for 3 backends, 9.2e-7), which bounds the
// chance of a false failure. A backend that never answers fails every round: always caught.
import { coverageRequests } from '../../../helpers/spread.ts';
import { defineCheck } from '../../framework/check.ts';
import { httpURL, type NodePortFixtures } from '../fixtures.ts';
import {
  describeCounts,
  describeOutcomes,
  reached,
  renderTable,
  spreadUntil,
} from '../request-spread.ts';

export default defineCheck<NodePortFixtures>({
  id: 'nodeport/the-node-port-service-answers-on-its-cluster-ip-from-inside',
  title: 'a NodePort Service answers on its ClusterIP from a pod, from every backend',
  assess: async (ctx, f, evidence) => {
    const clusterIP = f.web.spec?.clusterIP;
    if (clusterIP === undefined || clusterIP === '' || clusterIP === 'None') {
      throw new Error(`Service web has no ClusterIP (spec.clusterIP=${clusterIP ?? 'absent'})`);
    }
    const clientPod = f.client.metadata?.name ?? '';
    const requests = coverageRequests(f.webPods.length);
    await spreadUntil({
      what: `pod ${clientPod} → web ClusterIP ${clusterIP}:80`,
      exec: (argv) => ctx.exec(clientPod, 'netshoot', argv),
      targets: [{ label: 'web', url: httpURL(clusterIP, 80) }],
      options: { requests, abandonAfter: 3 },
      evidence,
      judge: (tallies) => {
        const mismatches: string[] = [];
        const rows = tallies.map((t) => {
          const missing = f.webPods.filter((p) => !t.backends.has(p));
          const ok = reached(t) === requests && missing.length === 0;
          if (!ok) {
            mismatches.push(
              `expected Reached ${requests}/${requests} from ${f.webPods.join(', ')}, observed ${describeOutcomes(t)}` +
                (missing.length > 0 ? `, no answer from ${missing.join(', ')}` : '') +
                (t.firstError === undefined ? '' : ` (${t.firstError})`),
            );
          }
          return [
            `${clusterIP}:80`,
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
  },
});
