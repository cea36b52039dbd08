// Expected: a ClusterIP does not answer ping, whatever kube-proxy's mode: only the Service's
// protocol/port pairs are forwarded, so an ICMP echo gets no echo reply. How it goes unanswered
// differs, and is recorded as the observation (observed on kube-proxy v1.34): iptables leaves the
// packet to the node's default route, where it is lost or answered with an ICMP error from beyond
// (here the host's egress containment); nftables answers "Destination Port Unreachable" from the
// node through its cluster-ips reject rule; IPVS binds every ClusterIP to kube-ipvs0, but its
// KUBE-IPVS-FILTER chain rejects new traffic to those addresses that matches no Service port, so
// the echo also gets "Destination Port Unreachable". (This check used to expect an echo reply in
// IPVS mode, as older kube-proxy releases gave; the IPVS lane showed v1.34 rejects it.)
// The Service's exposed port must answer first (service-programmed.ts), so that a proxy that has
// not caught up is not mistaken for the mode's behaviour. Even then IPVS mode has a window: kube-proxy
// binds a new ClusterIP to kube-ipvs0 and creates its virtual server before it adds the address to
// the ipset its filter rule matches, and until then the node's kernel answers the echo (seen in the
// IPVS lane, where one sync takes long: EchoReply after the port answered, NoReply 20 s later). So
// the ping is repeated until the mode's outcome or kube-proxy's convergence deadline; a ClusterIP
// that still answers at the deadline fails the check.
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { repeatProbe } from '../../framework/repeat-probe.ts';
import type { KubeProxyFixtures } from '../fixtures.ts';
import { expectServiceProgrammed } from '../service-programmed.ts';
import { currentProxyMode, isProxyMode, skipUnlessMode, type ProxyMode } from '../modes.ts';
import { classifyPing, pingErrors, PingOutcome } from '../traffic.ts';

/** What a ping to a ClusterIP observes, per kube-proxy mode. */
export const expectedPingByMode: Readonly<Record<ProxyMode, PingOutcome>> = {
  iptables: PingOutcome.NoReply,
  nftables: PingOutcome.NoReply,
  ipvs: PingOutcome.NoReply,
};

export default defineCheck<KubeProxyFixtures>({
  id: 'kube-proxy/a-cluster-ip-does-not-answer-ping',
  title:
    'a ClusterIP does not answer ping in any kube-proxy mode (only the Service ports are forwarded; how the echo is refused is recorded per mode)',
  skipUnless: skipUnlessMode('iptables', 'nftables', 'ipvs'),
  assess: async (ctx, f, evidence) => {
    const mode = await currentProxyMode(ctx);
    if (!isProxyMode(mode)) throw new Error(`kube-proxy mode ${mode} has no expectation here`);
    const expected = expectedPingByMode[mode];
    await expectServiceProgrammed(ctx, f, evidence);
    const clusterIP = f.backends.service.spec?.clusterIP ?? '';
    const route = `client → ${clusterIP} (ClusterIP of ${ctx.namespace}/backends), ICMP echo`;
    const result = await repeatProbe({
      evidence,
      title: route,
      observedInTitle: true,
      what: `${route} to observe ${expected}`,
      deadline: 'proxyRulesConverge',
      intervalMs: 2000,
      round: async () => {
        const probe = await ctx.exec(f.client.metadata?.name ?? '', 'netshoot', [
          'ping',
          '-n',
          '-c',
          '3',
          '-W',
          '2',
          clusterIP,
        ]);
        const outcome = classifyPing(probe);
        const errors = pingErrors(probe.stdout);
        const detail = errors.length === 0 ? '' : ` (${errors.join('; ')})`;
        return {
          probe,
          done: outcome === expected,
          state: outcome,
          observed: `${outcome}${detail}`,
        };
      },
    });
    if (result.last === undefined) {
      throw new CheckFailure(`${route}: no ping ran (${result.rounds} round(s) failed)`, evidence);
    }
    const observed = result.last.observed;
    const rounds = `${String(result.rounds)} round(s) in ${(result.elapsedMs / 1000).toFixed(1)} s`;
    evidence.observe(observed);
    evidence.note(
      'expected vs observed',
      `mode ${mode}: expected ${expected}, observed ${observed} (${rounds})`,
    );
    if (result.timedOut) {
      throw new CheckFailure(
        `${route}, kube-proxy in ${mode} mode: expected ${expected}, observed ${observed} until the "proxyRulesConverge" deadline (${rounds})`,
        evidence,
      );
    }
  },
});
