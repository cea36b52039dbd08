/**
 * The kube-proxy mode a check applies to, from the cluster facts: the profile's mode on a kind
 * cluster of ours, else the mode of the kube-proxy ConfigMap (empty means iptables).
 */
import type { ClusterFacts } from '../framework/cluster-facts.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import { expectedProxyMode } from './checks/every-node-reports-the-configured-mode.ts';

/** The modes kube-proxy runs in on Linux. */
export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';

/** kube-proxy's mode on the cluster, or undefined when the cluster has no kube-proxy ConfigMap. */
export function proxyModeOf(facts: ClusterFacts): string | undefined {
  if (facts.configuredProxyMode === undefined && facts.profile === 'existing') return undefined;
  return expectedProxyMode(facts.profile, facts.configuredProxyMode);
}

/** A skipUnless that lets a check run only in `modes`, naming the mode found otherwise. */
export function skipUnlessMode(
  ...modes: readonly ProxyMode[]
): (facts: ClusterFacts) => string | undefined {
  return (facts) => {
    const mode = proxyModeOf(facts);
    if (mode === undefined) return 'no kube-proxy ConfigMap in kube-system (kube-proxy replaced?)';
    return (modes as readonly string[]).includes(mode)
      ? undefined
      : `kube-proxy is in ${mode} mode; this check is for ${modes.join(' and ')}`;
  };
}

/** kube-proxy's mode as a check sees it at run time (profile, else the kube-proxy ConfigMap). */
export async function currentProxyMode(ctx: SuiteContext): Promise<string> {
  const configMap = await ctx.core.readNamespacedConfigMap({
    name: 'kube-proxy',
    namespace: 'kube-system',
  });
  const configured = /^mode:\s*"?([a-z]*)"?\s*$/m.exec(configMap.data?.['config.conf'] ?? '')?.[1];
  return expectedProxyMode(ctx.profile, configured);
}

/** True for the modes {@link ProxyMode} names. */
export function isProxyMode(mode: string): mode is ProxyMode {
  return mode === 'iptables' || mode === 'nftables' || mode === 'ipvs';
}
