// Expected (iptables and nftables modes): a TCP connection to the ClusterIP port of a Service
// that has no ready endpoints is refused at once, not left to time out: kube-proxy installs a
// REJECT for it (iptables: a KUBE-SERVICES rule "has no endpoints" in the filter table, with
// icmp-port-unreachable; nftables: the no-endpoint-services map sends it to reject-chain), so the
// client sees Refused. Observed so on kube-proxy v1.34.4 in both modes.
import { classifyCurl, ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import type { KubeProxyFixtures } from '../fixtures.ts';
import { currentProxyMode, skipUnlessMode } from '../modes.ts';
import { answeredBy } from '../traffic.ts';

export default defineCheck<KubeProxyFixtures>({
  id: 'kube-proxy/a-service-without-endpoints-refuses-connections',
  title: 'a connection to a Service without endpoints is refused (iptables and nftables modes)',
  skipUnless: skipUnlessMode('iptables', 'nftables'),
  assess: async (ctx, f, evidence) => {
    const mode = await currentProxyMode(ctx);
    const expected = ConnectOutcome.Refused;
    const clusterIP = f.noEndpoints.spec?.clusterIP ?? '';
    const host = clusterIP.includes(':') ? `[${clusterIP}]` : clusterIP;
    const route = `client → ${clusterIP}:80 (ClusterIP of ${ctx.namespace}/no-endpoints, no endpoints)`;
    const result = evidence.probe(
      route,
      await ctx.exec(f.client.metadata?.name ?? '', 'netshoot', [
        'curl',
        '-sS',
        '--max-time',
        '5',
        `http://${host}:80/`,
      ]),
    );
    const outcome = classifyCurl(result);
    const backend = answeredBy(result.stdout);
    const observed = backend === undefined ? outcome : `${outcome} (answered by ${backend})`;
    evidence.observe(observed);
    evidence.note(
      'expected vs observed',
      `mode ${mode}: expected ${expected}, observed ${observed}`,
    );
    if (outcome !== expected) {
      throw new CheckFailure(
        `${route}, kube-proxy in ${mode} mode: expected ${expected}, observed ${observed}`,
        evidence,
      );
    }
  },
});
