// Expected (nftables mode): the kube-proxy table of a node (family ip, or ip6 for an IPv6
// ClusterIP) holds the ClusterIP of Service "backends" in its cluster-ips set, maps
// "<ClusterIP> . tcp . 80" in the service-ips verdict map to the Service port's chain, and that
// chain's `numgen random mod n vmap` has one entry per ready endpoint, each going to an endpoint
// chain that DNATs to that endpoint. After the Deployment is scaled 3 → 2 the vmap holds the 2
// endpoints left (within the proxyRulesConverge deadline). A missing element, a stale or missing
// endpoint, or a numgen modulus other than the endpoint count fails.
import { defineCheck } from '../../framework/check.ts';
import type { KubeProxyFixtures } from '../fixtures.ts';
import { skipUnlessMode } from '../modes.ts';
import { expectRulesFollowScaling } from '../rules-follow-scaling.ts';
import { compareNftService, nftServiceView, parseNftJson } from '../rules/nft-json.ts';

export default defineCheck<KubeProxyFixtures>({
  id: 'kube-proxy/nftables-table-holds-the-cluster-ip-and-one-endpoint-per-ready-endpoint',
  title:
    'nftables: the kube-proxy table maps a ClusterIP port to a chain spreading over one endpoint per ready endpoint, and follows a scale-down',
  skipUnless: skipUnlessMode('nftables'),
  assess: async (ctx, f, evidence) => {
    const clusterIP = f.backends.service.spec?.clusterIP ?? '';
    const family = clusterIP.includes(':') ? 'ip6' : 'ip';
    await expectRulesFollowScaling(
      ctx,
      f,
      {
        name: `nft -j list table ${family} kube-proxy`,
        command: ['nft', '-j', 'list', 'table', family, 'kube-proxy'],
        compare: (dump, ready) =>
          compareNftService(
            nftServiceView(parseNftJson(dump.stdout), clusterIP, 'tcp', 80),
            clusterIP,
            'tcp',
            80,
            ready,
          ),
      },
      evidence,
    );
  },
});
