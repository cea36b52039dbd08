// Expected: with sessionAffinity ClientIP, every connection from one client IP goes to the same
// backend (until the affinity timeout, 3 h by default). The Service `web-sticky` selects web's 3
// pods; 50 requests from the client pod, each on a new connection, must all succeed and all be
// answered by exactly one pod. Without affinity, 50 random picks over 3 pods land on a single one
// with probability 3·(1/3)^50 ≈ 4e-24, so a broken affinity cannot pass by chance.
import { histogram } from '../../../helpers/spread.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { podNames, podsOf } from '../backends.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { outcomeCounts, runLoop, serviceURL } from '../request-loop.ts';

const requests = 50;

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/client-ip-affinity-pins-a-client-to-one-backend',
  title: 'sessionAffinity ClientIP sends every request of one client to one backend',
  assess: async (ctx, f, evidence) => {
    const service = await ctx.core.readNamespacedService({
      name: f.sticky.name,
      namespace: ctx.namespace,
    });
    evidence.note(
      `Service ${f.sticky.name}`,
      `sessionAffinity ${service.spec?.sessionAffinity ?? 'unset'}, timeout ${service.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 'default'} s, ClusterIP ${f.sticky.ip}`,
    );
    const backends = podNames(await podsOf(ctx, f.web.name));
    const url = serviceURL(f.sticky.ip);
    const loop = await runLoop(ctx, f.client.metadata?.name ?? '', {
      urls: [url],
      rounds: requests,
    });
    evidence.probe(
      `client ${f.client.status?.podIP ?? '?'} → ${url}: ${requests} requests`,
      loop.probe,
    );
    const counts = histogram(
      loop.requests.map((r) => r.backend ?? `(${r.outcome})`),
      backends,
    );
    const answered = [...counts].filter(([, n]) => n > 0);
    const table = [...counts].map(([k, n]) => `${k.padEnd(36)} ${n}`).join('\n');
    evidence.note('answers per backend (expected: one backend, all 50)', table);
    const single =
      answered.length === 1 && answered[0]?.[1] === requests && backends.includes(answered[0][0]);
    if (!single || loop.requests.length !== requests) {
      throw new CheckFailure(
        `${url} with ClientIP affinity: expected all ${requests} requests answered by one backend, observed ${answered.length} distinct answers (${answered.map(([k, n]) => `${k}=${n}`).join(', ')}; ${outcomeCounts(loop.requests)})`,
        evidence,
      );
    }
  },
});
