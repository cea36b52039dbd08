// Expected: a Service port named `http` (TCP) publishes SRV records under
// `_http._tcp.<svc>.<ns>.svc.<domain>`. For the headless Service web-headless there is one target
// per Ready pod, named `<pod>.web-headless.<ns>.svc.<domain>`, each with port 80; for the ClusterIP
// Service web there is exactly one target, the Service's own name, with port 80. SRV records are
// how clients discover a named port's number; the port and targets must match the Service.
import { DnsOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { expectDnsAnswers } from '../expect-dns.ts';
import { srvRecord } from '../expectations.ts';
import { httpPort, names, serviceFqdn, type DnsFixtures } from '../fixtures.ts';
import { isReady, podPhrase, podsOfService } from '../service-pods.ts';

export default defineCheck<DnsFixtures>({
  id: 'dns/named-ports-have-srv-records',
  title:
    'a named port has SRV records _http._tcp.<svc>.<ns>.svc.<d>: one target per ready pod (headless), the Service name (ClusterIP)',
  assess: async (ctx, f, evidence) => {
    await expectDnsAnswers(
      ctx,
      { pod: names.client, container: names.clientContainer },
      evidence,
      async () => {
        const ready = (await podsOfService(ctx, names.headless)).filter(isReady);
        if (ready.length === 0) {
          throw new Error(`Service ${names.headless} has no Ready pod to list as SRV targets`);
        }
        return [
          {
            query: { name: serviceFqdn(ctx, f, '_http._tcp', names.headless), type: 'SRV' },
            expected: {
              outcome: DnsOutcome.Answered,
              records: ready.map((p) =>
                srvRecord(
                  serviceFqdn(ctx, f, p.spec?.hostname ?? p.metadata?.name ?? '', names.headless),
                  httpPort,
                ),
              ),
            },
            because: `port http ${httpPort} of headless Service ${names.headless}; Ready pods ${podPhrase(ready)}`,
          },
          {
            query: { name: serviceFqdn(ctx, f, '_http._tcp', names.web), type: 'SRV' },
            expected: {
              outcome: DnsOutcome.Answered,
              records: [srvRecord(serviceFqdn(ctx, f, names.web), httpPort)],
            },
            because: `port http ${httpPort} of ClusterIP Service ${names.web}`,
          },
        ];
      },
    );
  },
});
