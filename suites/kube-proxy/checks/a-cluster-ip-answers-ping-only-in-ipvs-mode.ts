// Expected: a ClusterIP answers ping only when kube-proxy runs in IPVS mode. A ClusterIP is a
// virtual address: in iptables and nftables modes only the Service's protocol/port pairs are
// translated, so an ICMP echo to it gets no echo reply (observed on kube-proxy v1.34: nftables
// answers "Destination Port Unreachable" from the node through its cluster-ips reject rule;
// iptables leaves the packet to the node's default route, where it is lost or answered with an
// ICMP error from beyond). In IPVS mode every ClusterIP is bound to the node's kube-ipvs0
// interface, so the node's own stack answers the echo.
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import type { KubeProxyFixtures } from '../fixtures.ts';
import { currentProxyMode, isProxyMode, skipUnlessMode, type ProxyMode } from '../modes.ts';
import { classifyPing, pingErrors, PingOutcome } from '../traffic.ts';

/** What a ping to a ClusterIP observes, per kube-proxy mode. */
export const expectedPingByMode: Readonly<Record<ProxyMode, PingOutcome>> = {
  iptables: PingOutcome.NoReply,
  nftables: PingOutcome.NoReply,
  ipvs: PingOutcome.EchoReply,
};

export default defineCheck<KubeProxyFixtures>({
  id: 'kube-proxy/a-cluster-ip-answers-ping-only-in-ipvs-mode',
  title:
    'a ClusterIP answers ping in IPVS mode only (no echo reply in iptables and nftables modes)',
  skipUnless: skipUnlessMode('iptables', 'nftables', 'ipvs'),
  assess: async (ctx, f, evidence) => {
    const mode = await currentProxyMode(ctx);
    if (!isProxyMode(mode)) throw new Error(`kube-proxy mode ${mode} has no expectation here`);
    const expected = expectedPingByMode[mode];
    const clusterIP = f.backends.service.spec?.clusterIP ?? '';
    const route = `client → ${clusterIP} (ClusterIP of ${ctx.namespace}/backends), ICMP echo`;
    const result = evidence.probe(
      route,
      await ctx.exec(f.client.metadata?.name ?? '', 'netshoot', [
        'ping',
        '-n',
        '-c',
        '3',
        '-W',
        '2',
        clusterIP,
      ]),
    );
    const observed = classifyPing(result);
    const errors = pingErrors(result.stdout);
    const detail = errors.length === 0 ? '' : ` (${errors.join('; ')})`;
    evidence.observe(`${observed}${detail}`);
    evidence.note(
      'expected vs observed',
      `mode ${mode}: expected ${expected}, observed ${observed}${detail}`,
    );
    if (observed !== expected) {
      throw new CheckFailure(
        `${route}, kube-proxy in ${mode} mode: expected ${expected}, observed ${observed}${detail}`,
        evidence,
      );
    }
  },
});
