// Expected: `web.<ns>.svc.<domain>` has exactly one A record, the ClusterIP the API server allocated
// to Service web. Kubernetes' DNS specification gives every ClusterIP Service that name, and pods
// reach Services by it; a missing or stale record breaks Service discovery for every client.
import { DnsOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { expectDnsAnswers } from '../expect-dns.ts';
import { names, serviceFqdn, type DnsFixtures } from '../fixtures.ts';
import { readService } from '../service-pods.ts';

export default defineCheck<DnsFixtures>({
  id: 'dns/a-service-name-resolves-to-its-cluster-ip',
  title: 'a Service name <svc>.<ns>.svc.<domain> resolves (A) to the Service ClusterIP',
  assess: async (ctx, f, evidence) => {
    await expectDnsAnswers(
      ctx,
      { pod: names.client, container: names.clientContainer },
      evidence,
      async () => {
        const ip = (await readService(ctx, names.web)).spec?.clusterIP ?? '(none)';
        return [
          {
            query: { name: serviceFqdn(ctx, f, names.web), type: ip.includes(':') ? 'AAAA' : 'A' },
            expected: { outcome: DnsOutcome.Answered, records: [ip] },
            because: `ClusterIP of Service ${names.web}`,
          },
        ];
      },
    );
  },
});
