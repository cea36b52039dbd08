// Expected (IPVS mode): `ipvsadm -Ln` on a node lists a virtual server TCP <ClusterIP>:80 for Service
// "backends", using the scheduler of kube-proxy's configuration (ipvs.scheduler, "rr" when unset),
// with exactly one real server per ready endpoint. After the Deployment is scaled 3 → 2 the virtual
// server keeps only the 2 endpoints left (within the proxyRulesConverge deadline). A missing
// virtual server, another scheduler, or a stale or missing real server fails.
// (Not run on this project's CI machine: its kernel has no IP_VS; the parser is unit-tested.)
import { defineCheck } from '../../framework/check.ts';
import type { KubeProxyFixtures } from '../fixtures.ts';
import { skipUnlessMode } from '../modes.ts';
import { expectRulesFollowScaling } from '../rules-follow-scaling.ts';
import { compareIpvsService, configuredIpvsScheduler, parseIpvsadm } from '../rules/ipvsadm.ts';

export default defineCheck<KubeProxyFixtures>({
  id: 'kube-proxy/ipvs-virtual-server-has-the-scheduler-and-one-real-server-per-ready-endpoint',
  title:
    'IPVS: a ClusterIP port is a virtual server with the configured scheduler and one real server per ready endpoint, and follows a scale-down',
  skipUnless: skipUnlessMode('ipvs'),
  assess: async (ctx, f, evidence) => {
    const configMap = await ctx.core.readNamespacedConfigMap({
      name: 'kube-proxy',
      namespace: 'kube-system',
    });
    const scheduler = configuredIpvsScheduler(configMap.data?.['config.conf'] ?? '');
    evidence.note('expected scheduler', `${scheduler} (from the kube-proxy ConfigMap)`);
    const clusterIP = f.backends.service.spec?.clusterIP ?? '';
    await expectRulesFollowScaling(
      ctx,
      f,
      {
        name: 'ipvsadm -Ln',
        command: ['ipvsadm', '-Ln'],
        compare: (dump, ready) =>
          compareIpvsService(parseIpvsadm(dump.stdout), 'TCP', clusterIP, 80, scheduler, ready),
      },
      evidence,
    );
  },
});
