// Expected: with CoreDNS's kubernetes plugin option `pods insecure` or `pods verified` (kubeadm's
// Corefile has `pods insecure`), `<a-b-c-d>.<ns>.pod.<domain>` resolves (A) to the pod IP a.b.c.d;
// checked for the client pod and for pod web-0. With `pods disabled` (also CoreDNS's default when
// the option is absent) these records do not exist, so the check is skipped with that reason.
import { DnsOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { corednsFacts } from '../coredns-facts.ts';
import { expectDnsAnswers } from '../expect-dns.ts';
import { names, type DnsFixtures } from '../fixtures.ts';

export default defineCheck<DnsFixtures>({
  id: 'dns/a-pod-ip-name-resolves-to-the-pod-ip',
  title: 'the pod A record <a-b-c-d>.<ns>.pod.<d> resolves to the pod IP',
  skipUnless: ({ coredns }) => {
    if (!coredns.found) return coredns.reason;
    if (coredns.plugin.pods === 'disabled') {
      return 'the CoreDNS kubernetes plugin has pods disabled (no `pods insecure|verified` line in the Corefile), so pod A records are not served';
    }
    return undefined;
  },
  assess: async (ctx, f, evidence) => {
    await expectDnsAnswers(
      ctx,
      { pod: names.client, container: names.clientContainer },
      evidence,
      async () => {
        const coredns = await corednsFacts();
        const web0 = await ctx.core.readNamespacedPod({
          name: `${names.statefulSet}-0`,
          namespace: ctx.namespace,
        });
        return [f.client, web0].map((p) => {
          const ip = p.status?.podIP ?? '';
          const v6 = ip.includes(':');
          return {
            query: {
              name: `${ip.replaceAll(v6 ? ':' : '.', '-')}.${ctx.namespace}.pod.${f.clusterDomain}.`,
              type: v6 ? 'AAAA' : 'A',
            },
            expected: { outcome: DnsOutcome.Answered, records: [ip] },
            because: `IP of pod ${p.metadata?.name ?? '?'}; Corefile: pods ${coredns.found ? coredns.plugin.pods : '?'}`,
          };
        });
      },
    );
  },
});
