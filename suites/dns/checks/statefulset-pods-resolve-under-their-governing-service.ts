// Expected: each Ready pod of StatefulSet web, whose serviceName is the headless Service
// web-headless, resolves as `<pod>.web-headless.<ns>.svc.<domain>` to its own pod IP (the pod's
// hostname and subdomain, set by the StatefulSet controller, give it this stable name). The pod of
// StatefulSet orphan, whose serviceName `no-such-service` names no Service, gets no such record:
// `orphan-0.no-such-service.<ns>.svc.<domain>` is NXDOMAIN. Stable per-pod names are what
// StatefulSet members use to find each other; they exist only through a governing Service.
import { DnsOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { expectDnsAnswers } from '../expect-dns.ts';
import type { DnsExpectation } from '../expectations.ts';
import { names, serviceFqdn, statefulSetApp, type DnsFixtures } from '../fixtures.ts';
import { isReady, podPhrase, podsOfService } from '../service-pods.ts';

export default defineCheck<DnsFixtures>({
  id: 'dns/statefulset-pods-resolve-under-their-governing-service',
  title:
    'StatefulSet pods resolve as <pod>.<svc>.<ns>.svc.<d> to their pod IPs; without a governing Service they get no record',
  assess: async (ctx, f, evidence) => {
    await expectDnsAnswers(
      ctx,
      { pod: names.client, container: names.clientContainer },
      evidence,
      async () => {
        const [members, orphans] = await Promise.all([
          podsOfService(ctx, names.headless),
          ctx.core.listNamespacedPod({
            namespace: ctx.namespace,
            labelSelector: `app=${statefulSetApp(names.orphan)}`,
          }),
        ]);
        const orphanPods = orphans.items.filter(isReady);
        if (members.length === 0 || orphanPods.length === 0) {
          throw new Error(
            `the fixtures should hold Ready pods of StatefulSets ${names.statefulSet} and ${names.orphan}; found ${podPhrase([...members, ...orphans.items])}`,
          );
        }
        const expectations: DnsExpectation[] = members.map((p) => {
          const pod = p.metadata?.name ?? '';
          const host = p.spec?.hostname ?? pod;
          return {
            query: { name: serviceFqdn(ctx, f, host, names.headless), type: 'A' },
            expected: isReady(p)
              ? { outcome: DnsOutcome.Answered, records: [p.status?.podIP ?? ''] }
              : { outcome: DnsOutcome.NXDOMAIN },
            because: `pod ${pod} of StatefulSet ${names.statefulSet} (${podPhrase([p])}, subdomain ${p.spec?.subdomain ?? 'none'})`,
          };
        });
        for (const p of orphanPods) {
          const pod = p.metadata?.name ?? '';
          expectations.push({
            query: {
              name: serviceFqdn(ctx, f, p.spec?.hostname ?? pod, names.missingService),
              type: 'A',
            },
            expected: { outcome: DnsOutcome.NXDOMAIN },
            because: `pod ${pod} of StatefulSet ${names.orphan}, whose serviceName ${names.missingService} names no Service`,
          });
        }
        return expectations;
      },
    );
  },
});
