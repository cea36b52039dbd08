// Expected: the reverse name of Service web's ClusterIP (`d.c.b.a.in-addr.arpa.`) has one PTR
// record, `web.<ns>.svc.<domain>.`: CoreDNS's kubernetes plugin serves the reverse zones listed in
// its Corefile (kubeadm's lists in-addr.arpa and ip6.arpa), and Kubernetes' DNS specification asks
// for PTR records of ClusterIPs. Skipped when the plugin serves no reverse zone.
import { DnsOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { zonesCover } from '../dns-config.ts';
import { expectDnsAnswers } from '../expect-dns.ts';
import { reverseName } from '../expectations.ts';
import { names, serviceFqdn, type DnsFixtures } from '../fixtures.ts';
import { readService } from '../service-pods.ts';

export default defineCheck<DnsFixtures>({
  id: 'dns/a-cluster-ip-reverse-resolves-to-the-service-name',
  title: 'the reverse name of a ClusterIP resolves (PTR) to <svc>.<ns>.svc.<d>.',
  skipUnless: ({ coredns }) => {
    if (!coredns.found) return coredns.reason;
    const zones = coredns.plugin.zones;
    if (!zonesCover(zones, 'in-addr.arpa') && !zonesCover(zones, 'ip6.arpa')) {
      return `the CoreDNS kubernetes plugin serves no reverse zone (zones: ${zones.join(' ')})`;
    }
    return undefined;
  },
  assess: async (ctx, f, evidence) => {
    await expectDnsAnswers(
      ctx,
      { pod: names.client, container: names.clientContainer },
      evidence,
      async () => {
        const ip = (await readService(ctx, names.web)).spec?.clusterIP ?? '';
        return [
          {
            query: { name: reverseName(ip), type: 'PTR' },
            expected: { outcome: DnsOutcome.Answered, records: [serviceFqdn(ctx, f, names.web)] },
            because: `Service ${names.web} has ClusterIP ${ip}`,
          },
        ];
      },
    );
  },
});
