/**
 * Creating the suites' workloads and waiting for them. Every object gets the run's labels; the
 * objects live in the suite's namespace, whose deletion (registered when it was created) removes
 * them all, so they need no removal step of their own.
 */
import type {
  V1Container,
  V1Deployment,
  V1Node,
  V1Pod,
  V1PodSpec,
  V1Service,
} from '@kubernetes/client-node';
import { poll } from '../../helpers/poll.ts';
import { httpReadinessProbe } from './readiness-probe.ts';
import type { SuiteContext } from './suite-context.ts';

/** Options of {@link podSpec}. */
export interface PodOptions {
  readonly name: string;
  readonly containers: V1Container[];
  /** Pin the pod to this node. */
  readonly nodeName?: string;
  readonly labels?: Record<string, string>;
  readonly hostNetwork?: boolean;
  /** Further pod spec fields (dnsPolicy, dnsConfig, hostAliases, hostname, ...). */
  readonly extra?: Omit<Partial<V1PodSpec>, 'containers'>;
}

/** A pod manifest with the run's labels and a short grace period. */
export function podSpec(ctx: SuiteContext, options: PodOptions): V1Pod {
  return {
    metadata: {
      name: options.name,
      namespace: ctx.namespace,
      labels: { ...ctx.labels, ...options.labels },
    },
    spec: {
      containers: options.containers,
      terminationGracePeriodSeconds: 2,
      ...(options.nodeName === undefined ? {} : { nodeName: options.nodeName }),
      ...(options.hostNetwork === true ? { hostNetwork: true } : {}),
      ...options.extra,
    },
  };
}

/** A container of the netshoot image that only waits (probes are exec'd into it). */
export function netshootContainer(ctx: SuiteContext, name = 'netshoot'): V1Container {
  return { name, image: ctx.images.netshoot, imagePullPolicy: 'IfNotPresent' };
}

/** A container of the color image: HTTP on `port`, answering "This is <pod name>" and the client address. */
export function colorContainer(ctx: SuiteContext, port = 80, name = 'color'): V1Container {
  return {
    name,
    image: ctx.images.color,
    imagePullPolicy: 'IfNotPresent',
    env: [{ name: 'LISTEN', value: `:${port}` }],
    ports: [{ containerPort: port, name: 'http' }],
    readinessProbe: httpReadinessProbe('/', port),
  };
}

/** Creates a pod and waits until it is Ready; returns it with its status (IP, node). */
export async function startPod(ctx: SuiteContext, pod: V1Pod): Promise<V1Pod> {
  const name = pod.metadata?.name ?? '';
  await ctx.core.createNamespacedPod({ namespace: ctx.namespace, body: pod });
  return poll({
    what: `pod ${ctx.namespace}/${name} Ready`,
    deadline: 'podReady',
    intervalMs: 1000,
    attempt: async () => {
      const p = await ctx.core.readNamespacedPod({ name, namespace: ctx.namespace });
      const ready =
        p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      const waiting = p.status?.containerStatuses
        ?.map((c) => `${c.name}:${c.state?.waiting?.reason ?? (c.ready ? 'ready' : 'not ready')}`)
        .join(',');
      return {
        done: ready,
        state: p,
        summary: `phase ${p.status?.phase ?? '?'} on ${p.spec?.nodeName ?? 'no node'} (${waiting ?? 'no container status'})`,
      };
    },
  });
}

/** Creates a Deployment and waits until all its replicas are available. */
export async function startDeployment(
  ctx: SuiteContext,
  deployment: V1Deployment,
): Promise<V1Deployment> {
  const name = deployment.metadata?.name ?? '';
  await ctx.apps.createNamespacedDeployment({ namespace: ctx.namespace, body: deployment });
  return poll({
    what: `deployment ${ctx.namespace}/${name} available`,
    deadline: 'deploymentReady',
    intervalMs: 1000,
    attempt: async () => {
      const d = await ctx.apps.readNamespacedDeployment({ name, namespace: ctx.namespace });
      const want = d.spec?.replicas ?? 1;
      const have = d.status?.availableReplicas ?? 0;
      return {
        done: have === want && d.status?.observedGeneration === d.metadata?.generation,
        state: d,
        summary: `${have} of ${want} available`,
      };
    },
  });
}

/** Creates a Service; returns it as the API server stored it (ClusterIP and NodePort allocated). */
export async function createService(ctx: SuiteContext, service: V1Service): Promise<V1Service> {
  return ctx.core.createNamespacedService({
    namespace: ctx.namespace,
    body: {
      ...service,
      metadata: {
        ...service.metadata,
        namespace: ctx.namespace,
        labels: { ...ctx.labels, ...service.metadata?.labels },
      },
    },
  });
}

/** Nodes that accept ordinary pods (no NoSchedule/NoExecute taint), sorted by name. */
export async function schedulableNodes(ctx: SuiteContext): Promise<V1Node[]> {
  const list = await ctx.core.listNode();
  return list.items
    .filter(
      (n) =>
        n.spec?.unschedulable !== true &&
        !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
    )
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** The InternalIP of a node. */
export function internalIP(node: V1Node): string {
  const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (ip === undefined) throw new Error(`node ${node.metadata?.name ?? '?'} has no InternalIP`);
  return ip;
}

/** Pods of this namespace labelled `app=<app>` that are not being deleted. */
export async function podsOfApp(ctx: SuiteContext, app: string): Promise<V1Pod[]> {
  const list = await ctx.core.listNamespacedPod({
    namespace: ctx.namespace,
    labelSelector: `app=${app}`,
  });
  return list.items.filter((p) => p.metadata?.deletionTimestamp === undefined);
}

/** Waits (endpointsConverge) until the EndpointSlices of `service` list `want` ready endpoints. */
export async function waitReadyEndpoints(
  ctx: SuiteContext,
  service: string,
  want: number,
): Promise<void> {
  await poll({
    what: `${want} ready endpoint(s) in the EndpointSlices of Service ${ctx.namespace}/${service}`,
    deadline: 'endpointsConverge',
    attempt: async () => {
      const slices = await ctx.discovery.listNamespacedEndpointSlice({
        namespace: ctx.namespace,
        labelSelector: `kubernetes.io/service-name=${service}`,
      });
      const ready = slices.items
        .flatMap((s) => s.endpoints ?? [])
        .filter((e) => e.conditions?.ready === true).length;
      return { done: ready === want, state: ready, summary: `${ready} ready of ${want}` };
    },
  });
}

/**
 * A Deployment of `replicas` color pods labelled `app=<name>` (plus the run's labels), placed by
 * `placement` (a node selector or topology spread constraints).
 */
export function colorDeployment(
  ctx: SuiteContext,
  name: string,
  replicas: number,
  placement: Pick<
    NonNullable<NonNullable<V1Deployment['spec']>['template']['spec']>,
    'nodeSelector' | 'topologySpreadConstraints'
  >,
): V1Deployment {
  const labels = { ...ctx.labels, app: name };
  return {
    metadata: { name, namespace: ctx.namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [colorContainer(ctx)],
          terminationGracePeriodSeconds: 2,
          ...placement,
        },
      },
    },
  };
}
