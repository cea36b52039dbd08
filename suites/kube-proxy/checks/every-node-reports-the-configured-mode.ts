// Expected: kube-proxy on every node answers GET 127.0.0.1:10249/proxyMode with the mode the cluster
// is configured for: the profile's mode on a kind cluster of ours, else the mode in the kube-proxy
// ConfigMap (empty there means iptables, kube-proxy's default on Linux). A node whose kube-proxy is
// missing, or runs in another mode, fails the check.
import { classifyCurl, ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import type { KubeProxyFixtures } from '../fixtures.ts';

/** The mode kube-proxy should run in, from the profile or the ConfigMap. */
export function expectedProxyMode(profile: string, configured: string | undefined): string {
  if (profile === 'iptables' || profile === 'nftables' || profile === 'ipvs') return profile;
  return configured === undefined || configured === '' ? 'iptables' : configured;
}

export default defineCheck<KubeProxyFixtures>({
  id: 'kube-proxy/every-node-reports-the-configured-mode',
  title: 'kube-proxy on every node reports the configured mode on :10249/proxyMode',
  skipUnless: (facts) =>
    facts.configuredProxyMode === undefined
      ? 'no kube-proxy ConfigMap in kube-system (kube-proxy replaced?)'
      : undefined,
  assess: async (ctx, f, evidence) => {
    const configMap = await ctx.core.readNamespacedConfigMap({
      name: 'kube-proxy',
      namespace: 'kube-system',
    });
    const configured = /^mode:\s*"?([a-z]*)"?\s*$/m.exec(
      configMap.data?.['config.conf'] ?? '',
    )?.[1];
    const expected = expectedProxyMode(ctx.profile, configured);
    evidence.note(
      'expected mode',
      `${expected} (profile ${ctx.profile}, ConfigMap mode "${configured ?? ''}")`,
    );
    const observed = await Promise.all(
      f.nodeProbes.map(async (probe) => {
        const result = evidence.probe(
          `proxyMode on ${probe.node}`,
          await ctx.exec(probe.pod.metadata?.name ?? '', 'netshoot', [
            'curl',
            '-sS',
            '--max-time',
            '5',
            'http://127.0.0.1:10249/proxyMode',
          ]),
        );
        const outcome = classifyCurl(result);
        return {
          node: probe.node,
          mode: outcome === ConnectOutcome.Reached ? result.stdout.trim() : `(${outcome})`,
        };
      }),
    );
    const table = observed
      .map((o) => `${o.node.padEnd(32)} expected ${expected.padEnd(9)} observed ${o.mode}`)
      .join('\n');
    evidence.note('modes per node', table);
    evidence.observe(
      [...new Set(observed.map((o) => o.mode))]
        .map(
          (m) =>
            `${m} on ${observed.filter((o) => o.mode === m).length} of ${observed.length} node(s)`,
        )
        .join(', '),
    );
    const wrong = observed.filter((o) => o.mode !== expected);
    if (wrong.length > 0) {
      throw new CheckFailure(
        `${wrong.length} of ${observed.length} node(s) do not report ${expected}:\n${table}`,
        evidence,
      );
    }
  },
});
