// Expected: a TCP connection to a ClusterIP on a port its Service does not expose (81; the
// Service exposes 80) never reaches the Service's backends, and what happens instead depends on
// the mode, as observed on kube-proxy v1.34.4:
// - nftables: Refused. The table's cluster-ips-check chain rejects new connections to any active
//   ClusterIP on a port no Service maps ("Reject traffic to invalid ports of ClusterIPs").
// - iptables: kube-proxy has no rule for the port, so the packet leaves the node by its default
//   route and the outcome belongs to the network beyond (on our kind clusters the host's network
//   answered the SYN itself; elsewhere it times out or draws an ICMP error). The check asserts
//   only that no backend of the Service answers.
// - IPVS: Refused. The ClusterIP is local to the node (kube-ipvs0) and kube-proxy's
//   KUBE-IPVS-FILTER chain rejects connections to it on ports that are not virtual servers (seen in
//   the IPVS lane; before that rule covers a new address, the node's kernel refuses the
//   connection itself, as nothing listens there, so the outcome is the same).
import { classifyCurl, ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import type { KubeProxyFixtures } from '../fixtures.ts';
import { expectServiceProgrammed } from '../service-programmed.ts';
import { currentProxyMode, isProxyMode, skipUnlessMode, type ProxyMode } from '../modes.ts';
import { answeredBy } from '../traffic.ts';

/** The port probed: one the Service does not expose. */
const unexposedPort = 81;

/** An outcome the probe must observe, or "NotForwarded": any outcome but an answer from a backend. */
type Expected = ConnectOutcome | 'NotForwarded';

/** What a connection to an unexposed ClusterIP port observes, per kube-proxy mode. */
export const expectedUnexposedPortByMode: Readonly<Record<ProxyMode, Expected>> = {
  iptables: 'NotForwarded',
  nftables: ConnectOutcome.Refused,
  ipvs: ConnectOutcome.Refused,
};

export default defineCheck<KubeProxyFixtures>({
  id: 'kube-proxy/a-cluster-ip-port-the-service-does-not-expose-is-not-forwarded',
  title:
    'a connection to a ClusterIP on a port its Service does not expose reaches no backend (refused in nftables and IPVS modes)',
  skipUnless: skipUnlessMode('iptables', 'nftables', 'ipvs'),
  assess: async (ctx, f, evidence) => {
    const mode = await currentProxyMode(ctx);
    if (!isProxyMode(mode)) throw new Error(`kube-proxy mode ${mode} has no expectation here`);
    const expected = expectedUnexposedPortByMode[mode];
    await expectServiceProgrammed(ctx, f, evidence);
    const clusterIP = f.backends.service.spec?.clusterIP ?? '';
    const host = clusterIP.includes(':') ? `[${clusterIP}]` : clusterIP;
    const route = `client → ${clusterIP}:${unexposedPort} (ClusterIP of ${ctx.namespace}/backends, which exposes only port 80)`;
    const result = evidence.probe(
      route,
      await ctx.exec(f.client.metadata?.name ?? '', 'netshoot', [
        'curl',
        '-sS',
        '-i',
        '--max-time',
        '5',
        `http://${host}:${unexposedPort}/`,
      ]),
    );
    const outcome = classifyCurl(result);
    const backend = answeredBy(result.stdout);
    let observed: string = outcome;
    if (backend !== undefined) observed = `${outcome} (answered by backend ${backend})`;
    else if (outcome === ConnectOutcome.Reached)
      observed = `${outcome} (answered by a host that is not a backend of the Service)`;
    evidence.observe(observed);
    const wanted =
      expected === 'NotForwarded' ? 'no answer from a backend of the Service' : expected;
    evidence.note('expected vs observed', `mode ${mode}: expected ${wanted}, observed ${observed}`);
    const holds =
      expected === 'NotForwarded'
        ? backend === undefined && outcome !== ConnectOutcome.Inconclusive
        : outcome === expected;
    if (!holds) {
      throw new CheckFailure(
        `${route}, kube-proxy in ${mode} mode: expected ${wanted}, observed ${observed}`,
        evidence,
      );
    }
  },
});
