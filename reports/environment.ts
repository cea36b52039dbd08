/**
 * Facts about the cluster a run tested, for the report's Environment panel
 * (allure-results/environment.properties) and summary.json: Kubernetes version, node count,
 * kube-proxy mode, CNI, cluster domain, Service range, profile and run id. Read once by
 * `netconform run` after the suites, from kube-system; a fact that cannot be read is "unknown"
 * (the report must not fail because, say, kubeadm's ConfigMap is absent on a managed cluster).
 */
import { AppsV1Api, CoreV1Api, VersionApi, type KubeConfig } from '@kubernetes/client-node';
import { withDeadline } from '../helpers/deadline.ts';
import { timeout } from '../helpers/timeouts.ts';

/** The facts, as shown in the report. */
export interface EnvironmentFacts {
  readonly kubernetesVersion: string;
  readonly nodes: string;
  readonly kubeProxyMode: string;
  readonly cni: string;
  readonly clusterDomain: string;
  readonly serviceRange: string;
  readonly profile: string;
  readonly runId: string;
}

/** The property names of environment.properties, in display order. */
const propertyNames: Record<keyof EnvironmentFacts, string> = {
  kubernetesVersion: 'Kubernetes',
  nodes: 'Nodes',
  kubeProxyMode: 'kube-proxy mode',
  cni: 'CNI',
  clusterDomain: 'Cluster domain',
  serviceRange: 'Service range',
  profile: 'Profile',
  runId: 'Run',
};

const unknown = 'unknown';

/** CNIs recognised by the name of their kube-system DaemonSet. */
const cniNames = ['cilium', 'calico', 'flannel', 'kindnet', 'weave', 'antrea', 'kube-router'];

/** The CNI named by kube-system's DaemonSets ("flannel" for "kube-flannel-ds"), or "unknown". */
export function cniFromDaemonSets(names: readonly string[]): string {
  const found = cniNames.filter((cni) => names.some((n) => n.includes(cni)));
  return found.length === 0 ? unknown : found.join(', ');
}

/** kube-proxy's mode from its config.conf ("" is the default, iptables), or undefined. */
export function proxyModeFromConfig(config: string): string | undefined {
  const mode = /^mode:\s*"?([a-z]*)"?\s*$/m.exec(config)?.[1];
  if (mode === undefined) return undefined;
  return mode === '' ? 'iptables (default)' : mode;
}

/** A field of kubeadm's ClusterConfiguration (YAML, `networking:` block), or undefined. */
export function kubeadmNetworking(
  config: string,
  field: 'dnsDomain' | 'serviceSubnet',
): string | undefined {
  return new RegExp(`^\\s+${field}:\\s*"?([^"\\s]+)"?\\s*$`, 'm').exec(config)?.[1];
}

/** Reads the facts from the cluster; each read has its own deadline and falls back to "unknown". */
export async function readEnvironment(
  kc: KubeConfig,
  run: { readonly profile: string; readonly runId: string },
): Promise<EnvironmentFacts> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const read = async (what: string, fn: () => Promise<string | undefined>): Promise<string> => {
    try {
      return (await withDeadline(what, timeout('apiReachable'), fn)) ?? unknown;
    } catch {
      return unknown;
    }
  };
  const kubeadm = async (): Promise<string> =>
    (await core.readNamespacedConfigMap({ name: 'kubeadm-config', namespace: 'kube-system' })).data
      ?.ClusterConfiguration ?? '';
  const [kubernetesVersion, nodes, kubeProxyMode, cni, clusterDomain, serviceRange] =
    await Promise.all([
      read('the version', async () => (await kc.makeApiClient(VersionApi).getCode()).gitVersion),
      read('the nodes', async () => String((await core.listNode()).items.length)),
      read('the kube-proxy mode', async () => {
        const cm = await core.readNamespacedConfigMap({
          name: 'kube-proxy',
          namespace: 'kube-system',
        });
        return proxyModeFromConfig(cm.data?.['config.conf'] ?? '');
      }),
      read('the CNI', async () =>
        cniFromDaemonSets(
          (await apps.listNamespacedDaemonSet({ namespace: 'kube-system' })).items.map(
            (d) => d.metadata?.name ?? '',
          ),
        ),
      ),
      read('the cluster domain', async () => kubeadmNetworking(await kubeadm(), 'dnsDomain')),
      read('the Service range', async () => kubeadmNetworking(await kubeadm(), 'serviceSubnet')),
    ]);
  return {
    kubernetesVersion,
    nodes,
    kubeProxyMode,
    cni,
    clusterDomain,
    serviceRange,
    profile: run.profile,
    runId: run.runId,
  };
}

/** Facts that are known without the cluster (when it could not be read at all). */
export function unknownEnvironment(run: {
  readonly profile: string;
  readonly runId: string;
}): EnvironmentFacts {
  return {
    kubernetesVersion: unknown,
    nodes: unknown,
    kubeProxyMode: unknown,
    cni: unknown,
    clusterDomain: unknown,
    serviceRange: unknown,
    profile: run.profile,
    runId: run.runId,
  };
}

/** environment.properties (Java properties: `key=value`; spaces in keys escaped). */
export function environmentProperties(facts: EnvironmentFacts): string {
  const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return (Object.keys(propertyNames) as (keyof EnvironmentFacts)[])
    .map((k) => `${escape(propertyNames[k]).replace(/([ =:])/g, '\\$1')}=${escape(facts[k])}\n`)
    .join('');
}
