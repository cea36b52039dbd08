/**
 * What a break is: a declarative object that breaks a running kind cluster in one way, names the
 * areas to run while it is broken, the checks that must fail (with the pattern their message must
 * match: the break's symptom) and the unrelated checks that must still pass. `apply` returns the
 * repair, or undefined for a break that cannot be undone (those run last).
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { poll } from '../helpers/poll.ts';
import { runHostChecked } from '../helpers/shell.ts';
import type { TimeoutName } from '../helpers/timeouts.ts';
import type { ProbeResult } from '../helpers/probe-result.ts';

/** The cluster under test, as the breaks see it. */
export interface SelftestCluster {
  /** kind cluster name; node containers are `<name>-control-plane`, `<name>-worker`, `<name>-worker2`. */
  readonly name: string;
  readonly kubeconfig: string;
  readonly context: string;
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly log: (line: string) => void;
}

/** Undoes a break; resolves once the cluster is healthy again. */
export type Repair = () => Promise<void>;

/** A check that must fail; `message` may depend on the cluster (node names). */
export interface MustFailSpec {
  /** Check id (`<area>/<file>`) or title. */
  readonly check: string;
  readonly message: RegExp | ((cluster: SelftestCluster) => RegExp);
}

/** One way to break the cluster; see the file comment. */
export interface Break {
  /** Short kebab-case name (also the file name). */
  readonly name: string;
  /** What is broken and how, one sentence. */
  readonly description: string;
  /** Areas to run while broken. */
  readonly suites: readonly string[];
  /** Breaks the cluster; returns the repair, or undefined when it cannot be undone. */
  readonly apply: (cluster: SelftestCluster) => Promise<Repair | undefined>;
  readonly mustFail: readonly MustFailSpec[];
  /** Check ids (or titles) that must still pass. */
  readonly mustPass: readonly string[];
}

/** Container name of a node of the kind cluster: 'control-plane', 'worker', 'worker2'. */
export function nodeContainer(cluster: SelftestCluster, role: string): string {
  return `${cluster.name}-${role}`;
}

/** Every node container of the cluster (one control plane, two workers: the profiles' shape). */
export function nodeContainers(cluster: SelftestCluster): string[] {
  return ['control-plane', 'worker', 'worker2'].map((r) => nodeContainer(cluster, r));
}

/** Runs argv inside a node container (`docker exec`); throws when it exits non-zero. */
export async function onNode(node: string, argv: readonly string[]): Promise<ProbeResult> {
  return runHostChecked(['docker', 'exec', node, ...argv]);
}

/** A node's address on the nodes' network (its InternalIP). */
export async function nodeIP(node: string): Promise<string> {
  const r = await onNode(node, ['sh', '-c', "ip -4 -o addr show dev eth0 | awk '{print $4}'"]);
  const ip = r.stdout.trim().split('/')[0] ?? '';
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`no IPv4 address on eth0 of ${node}`);
  return ip;
}

/**
 * Inserts an iptables rule on a node (`iptables -t <table> -I <chain> <rule…>`) and returns the
 * repair that deletes exactly that rule.
 */
export async function insertRule(
  cluster: SelftestCluster,
  node: string,
  table: string,
  chain: string,
  rule: readonly string[],
): Promise<Repair> {
  await onNode(node, ['iptables', '-t', table, '-I', chain, ...rule]);
  cluster.log(`${node}: iptables -t ${table} -I ${chain} ${rule.join(' ')}`);
  return async () => {
    await onNode(node, ['iptables', '-t', table, '-D', chain, ...rule]);
    cluster.log(`${node}: removed iptables -t ${table} ${chain} ${rule.join(' ')}`);
  };
}

/** Escapes `text` for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Makes the API clients of a cluster. */
export function clientsOf(kc: KubeConfig): { core: CoreV1Api; apps: AppsV1Api } {
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

/** Which Deployment {@link scaleToZero} stops, and how to recognise and restore it. */
export interface ScaledDeployment {
  readonly namespace: string;
  readonly name: string;
  /** Label selector of its pods; they must all be gone before the break counts as applied. */
  readonly podSelector: string;
  /** Replicas to restore when it had none before the break. */
  readonly fallbackReplicas: number;
  /** Named deadline for the restored replicas to be available. */
  readonly availableDeadline: TimeoutName;
}

/**
 * Scales a Deployment to 0 through the scale subresource and waits until its pods are gone;
 * returns the repair, which restores the replica count it had and waits until they are available.
 */
export async function scaleToZero(
  cluster: SelftestCluster,
  target: ScaledDeployment,
): Promise<Repair> {
  const { namespace, name } = target;
  const scale = async (replicas: number): Promise<number> => {
    const current = await cluster.apps.readNamespacedDeploymentScale({ name, namespace });
    const before = current.spec?.replicas ?? 0;
    await cluster.apps.replaceNamespacedDeploymentScale({
      name,
      namespace,
      body: { ...current, spec: { replicas } },
    });
    cluster.log(`${namespace}/${name}: scaled from ${before} to ${replicas}`);
    return before;
  };
  const before = await scale(0);
  await poll({
    what: `every pod of ${namespace}/${name} gone`,
    deadline: 'deploymentReady',
    intervalMs: 1000,
    attempt: async () => {
      const pods = await cluster.core.listNamespacedPod({
        namespace,
        labelSelector: target.podSelector,
      });
      return {
        done: pods.items.length === 0,
        state: pods.items.length,
        summary: `${pods.items.length} pod(s) of ${namespace}/${name} left`,
      };
    },
  });
  return async () => {
    await scale(before === 0 ? target.fallbackReplicas : before);
    await poll({
      what: `${namespace}/${name} available again`,
      deadline: target.availableDeadline,
      intervalMs: 2000,
      attempt: async () => {
        const d = await cluster.apps.readNamespacedDeployment({ name, namespace });
        const want = d.spec?.replicas ?? 1;
        const have = d.status?.availableReplicas ?? 0;
        return { done: have >= want, state: have, summary: `${have} of ${want} available` };
      },
    });
  };
}
