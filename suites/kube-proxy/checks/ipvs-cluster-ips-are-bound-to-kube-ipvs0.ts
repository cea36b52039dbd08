// Expected (IPVS mode): on every node the ClusterIPs of Service "backends" and of the `kubernetes`
// Service are addresses of the dummy interface kube-ipvs0 (`ip -o addr show dev kube-ipvs0`):
// IPVS only sees packets addressed to the node itself, so kube-proxy binds every ClusterIP there.
// A node where one is missing (within the proxyRulesConverge deadline) fails.
// (Not run on this project's CI machine: its kernel has no IP_VS; the parser is unit-tested.)
import { PollTimeoutError, poll } from '../../../helpers/poll.ts';
import type { ProbeResult } from '../../../helpers/probe-result.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import type { KubeProxyFixtures } from '../fixtures.ts';
import { skipUnlessMode } from '../modes.ts';
import { mismatches, renderComparison, type ComparisonRow } from '../../framework/comparison.ts';
import { parseIpAddrShow } from '../rules/ipvsadm.ts';

export default defineCheck<KubeProxyFixtures>({
  id: 'kube-proxy/ipvs-cluster-ips-are-bound-to-kube-ipvs0',
  title: 'IPVS: every node binds the ClusterIPs to its kube-ipvs0 interface',
  skipUnless: skipUnlessMode('ipvs'),
  assess: async (ctx, f, evidence) => {
    const kubernetes = await ctx.core.readNamespacedService({
      name: 'kubernetes',
      namespace: 'default',
    });
    const wanted = [
      { name: `${ctx.namespace}/backends`, ip: f.backends.service.spec?.clusterIP ?? '' },
      { name: 'default/kubernetes', ip: kubernetes.spec?.clusterIP ?? '' },
    ];
    const dumps = new Map<string, ProbeResult>();
    let rows: ComparisonRow[] = [];
    try {
      await poll({
        what: `the ClusterIPs ${wanted.map((w) => w.ip).join(', ')} on kube-ipvs0 of every node`,
        deadline: 'proxyRulesConverge',
        intervalMs: 2000,
        attempt: async () => {
          rows = (
            await Promise.all(
              f.nodeProbes.map(async (probe) => {
                const dump = await ctx.exec(probe.pod.metadata?.name ?? '', 'netshoot', [
                  'ip',
                  '-o',
                  'addr',
                  'show',
                  'dev',
                  'kube-ipvs0',
                ]);
                dumps.set(probe.node, dump);
                const bound = parseIpAddrShow(dump.stdout);
                return wanted.map((w) => ({
                  item: `${probe.node}: ${w.ip} (${w.name})`,
                  expected: 'bound',
                  observed: bound.includes(w.ip) ? 'bound' : 'not bound',
                }));
              }),
            )
          ).flat();
          const bad = mismatches(rows);
          return { done: bad.length === 0, state: rows, summary: `${bad.length} missing` };
        },
      });
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      for (const [node, dump] of dumps) evidence.probe(`kube-ipvs0 on ${node}`, dump);
      const table = renderComparison(rows);
      evidence.note('expected vs observed', table);
      throw new CheckFailure(
        `${mismatches(rows).length} ClusterIP binding(s) missing on kube-ipvs0 after ${(error.elapsedMs / 1000).toFixed(0)} s:\n${table}`,
        evidence,
      );
    }
    for (const [node, dump] of dumps) evidence.probe(`kube-ipvs0 on ${node}`, dump);
    evidence.note('expected vs observed', renderComparison(rows));
  },
});
