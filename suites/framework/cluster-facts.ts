/**
 * Facts about the cluster under test, read once per suite process before checks are registered,
 * so that checks whose requirements are not met are skipped with the reason.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { outsideHostUnavailable } from './outside-network.ts';
import { corednsFacts, type CorednsFacts } from '../dns/coredns-facts.ts';
import { suiteEnvironment } from './environment.ts';

/** What the requirements of checks look at. */
export interface ClusterFacts {
  /** The profile the run was started with ("existing" for a given kubeconfig). */
  readonly profile: string;
  /** Nodes that accept ordinary pods. */
  readonly schedulableNodes: number;
  /** kube-proxy's mode from its ConfigMap ("" means the default, iptables), or undefined without kube-proxy. */
  readonly configuredProxyMode: string | undefined;
  /** Why no host outside the cluster can be played here; undefined when one can. */
  readonly outsideHostUnavailable?: string;
  /** --external-target as given (a setting the externalname checks depend on). */
  readonly externalTarget?: string;
  /** What CoreDNS's kubernetes plugin serves, from the coredns ConfigMap. */
  readonly coredns: CorednsFacts;
}

/** Reads the facts from the cluster. */
export async function readClusterFacts(): Promise<ClusterFacts> {
  const env = suiteEnvironment();
  const core = env.kubeConfig.makeApiClient(CoreV1Api);
  const [nodes, outside, coredns] = await Promise.all([
    core.listNode(),
    outsideHostUnavailable(),
    corednsFacts(),
  ]);
  const schedulable = nodes.items.filter(
    (n) =>
      n.spec?.unschedulable !== true &&
      !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
  ).length;
  let mode: string | undefined;
  try {
    const cm = await core.readNamespacedConfigMap({ name: 'kube-proxy', namespace: 'kube-system' });
    const text = cm.data?.['config.conf'] ?? '';
    mode = /^mode:\s*"?([a-z]*)"?\s*$/m.exec(text)?.[1] ?? '';
  } catch {
    mode = undefined;
  }
  return {
    profile: env.profile,
    schedulableNodes: schedulable,
    configuredProxyMode: mode,
    outsideHostUnavailable: outside,
    externalTarget: env.description.settings.externalTarget,
    coredns,
  };
}

/** The requirement of a check that probes from a host outside the cluster. */
export function needsOutsideHost(facts: ClusterFacts): string | undefined {
  return facts.outsideHostUnavailable === undefined
    ? undefined
    : `no host outside the cluster: ${facts.outsideHostUnavailable}`;
}

/**
 * The requirement of a check that needs two schedulable nodes (pods or an endpoint on different
 * nodes); `why` ends the reason: "this needs 2", "a node without the endpoint needs 2".
 */
export function needsTwoNodes(facts: ClusterFacts, why = 'this needs 2'): string | undefined {
  return facts.schedulableNodes < 2
    ? `the cluster has ${facts.schedulableNodes} schedulable node(s); ${why}`
    : undefined;
}
