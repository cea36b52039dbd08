// Expected: a headless Service name has one A record per ready pod it selects, and no others: the
// A set of `web-headless.<ns>.svc.<domain>` equals the IPs of the Ready pods of StatefulSet web,
// and `never-ready.<ns>.svc.<domain>`, whose only pod never passes its readiness probe, has no
// A record at all. CoreDNS answers that name with NXDOMAIN (a headless Service without ready
// endpoints has no records, so the name does not exist), which is what this check asserts.
// Clients of a headless Service connect to what DNS returns, so an unready pod in the answer
// receives traffic it cannot serve.
import type { V1Pod } from '@kubernetes/client-node';
import { DnsOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import type { SuiteContext } from '../../framework/suite-context.ts';
import { expectDnsAnswers } from '../expect-dns.ts';
import type { DnsExpectation } from '../expectations.ts';
import { names, serviceFqdn, type DnsFixtures } from '../fixtures.ts';
import { isReady, podPhrase, podsOfService } from '../service-pods.ts';

/** What CoreDNS answers for a headless Service with no ready endpoint. */
const noReadyEndpoints = DnsOutcome.NXDOMAIN;

/** The A set of `service` is the IPs of its Ready pods, or `noReadyEndpoints` when there are none. */
function headlessExpectation(
  ctx: SuiteContext,
  f: DnsFixtures,
  service: string,
  pods: readonly V1Pod[],
): DnsExpectation {
  const ready = pods.filter(isReady).map((p) => p.status?.podIP ?? '');
  return {
    query: { name: serviceFqdn(ctx, f, service), type: 'A' },
    expected:
      ready.length === 0
        ? { outcome: noReadyEndpoints }
        : { outcome: DnsOutcome.Answered, records: ready },
    because: `pods of headless Service ${service}: ${podPhrase(pods)}`,
  };
}

export default defineCheck<DnsFixtures>({
  id: 'dns/a-headless-service-resolves-to-exactly-its-ready-pods',
  title:
    'a headless Service resolves (A) to exactly its ready pod IPs, and to none (NXDOMAIN) when no pod is ready',
  assess: async (ctx, f, evidence) => {
    await expectDnsAnswers(
      ctx,
      { pod: names.client, container: names.clientContainer },
      evidence,
      async () => {
        const [webPods, neverReadyPods] = await Promise.all([
          podsOfService(ctx, names.headless),
          podsOfService(ctx, names.neverReady),
        ]);
        if (neverReadyPods.length === 0 || neverReadyPods.some(isReady)) {
          throw new Error(
            `the fixture of Service ${names.neverReady} should select one pod that is not Ready; it selects ${podPhrase(neverReadyPods)}`,
          );
        }
        return [
          headlessExpectation(ctx, f, names.headless, webPods),
          headlessExpectation(ctx, f, names.neverReady, neverReadyPods),
        ];
      },
    );
  },
});
