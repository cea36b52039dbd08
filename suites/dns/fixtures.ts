/**
 * Fixtures of the DNS area, started in parallel:
 * - Service `web` (ClusterIP, named port http 80) over a Deployment `web` of 2 color pods;
 * - headless Service `web-headless` (named port http 80) governing StatefulSet `web` (2 color pods,
 *   web-0 and web-1, whose records are `<pod>.web-headless.<ns>.svc.<domain>`);
 * - headless Service `never-ready` over one color pod whose readiness probe never passes;
 * - StatefulSet `orphan` (1 pod) whose serviceName `no-such-service` names no Service;
 * - a netshoot client pod that runs the queries with its own resolv.conf.
 * The cluster domain is read from the kubelet configuration kubeadm keeps in kube-system (falling
 * back to the client's search list), the kube-dns Service IP from kube-system; both only read.
 */
import type { V1Container, V1Pod, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import { poll } from '../../helpers/poll.ts';
import { httpReadinessProbe } from '../framework/readiness-probe.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import {
  colorContainer,
  createService,
  netshootContainer,
  podSpec,
  startDeployment,
  startPod,
} from '../framework/workloads.ts';
import {
  clusterDomainFromKubeletConfig,
  clusterDomainFromSearch,
  parseResolvConf,
} from './dns-config.ts';

/** The port every fixture Service exposes, named `http`. */
export const httpPort = 80;

/** Names of the area's objects. */
export const names = {
  client: 'client',
  clientContainer: 'netshoot',
  /** ClusterIP Service and its Deployment. */
  web: 'web',
  /** Headless Service governing StatefulSet `web`. */
  headless: 'web-headless',
  statefulSet: 'web',
  /** Headless Service over a pod that never becomes ready. */
  neverReady: 'never-ready',
  /** StatefulSet whose serviceName names no Service. */
  orphan: 'orphan',
  missingService: 'no-such-service',
} as const;

/** What the checks share. */
export interface DnsFixtures {
  /** The cluster domain, without a trailing dot ("cluster.local"). */
  readonly clusterDomain: string;
  /** Where the cluster domain was read. */
  readonly domainSource: string;
  /** ClusterIP of kube-system/kube-dns. */
  readonly kubeDnsIP: string;
  readonly client: V1Pod;
  /** The pod of `never-ready` (Running, never Ready). */
  readonly neverReadyPod: V1Pod;
}

/** `<labels>.<ns>.svc.<domain>.`: the absolute name of a Service (or a pod under one). */
export function serviceFqdn(ctx: SuiteContext, f: DnsFixtures, ...labels: string[]): string {
  return `${labels.join('.')}.${ctx.namespace}.svc.${f.clusterDomain}.`;
}

/** A Service with the named port http 80 over pods labelled app=`app`; headless when asked. */
function service(name: string, app: string, headless: boolean): V1Service {
  return {
    metadata: { name },
    spec: {
      selector: { app },
      ...(headless ? { clusterIP: 'None' } : {}),
      ports: [{ name: 'http', port: httpPort, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

/** The label `app` of a StatefulSet's pods made by {@link statefulSet}. */
export function statefulSetApp(name: string): string {
  return `${name}-set`;
}

/** A StatefulSet of color pods started in parallel, governed by `serviceName`. */
function statefulSet(
  ctx: SuiteContext,
  name: string,
  serviceName: string,
  replicas: number,
): V1StatefulSet {
  const app = statefulSetApp(name);
  return {
    metadata: { name, namespace: ctx.namespace, labels: { ...ctx.labels } },
    spec: {
      serviceName,
      replicas,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { ...ctx.labels, app } },
        spec: { containers: [colorContainer(ctx)], terminationGracePeriodSeconds: 2 },
      },
    },
  };
}

/** Creates a StatefulSet and waits until all its replicas are Ready. */
async function startStatefulSet(ctx: SuiteContext, set: V1StatefulSet): Promise<void> {
  const name = set.metadata?.name ?? '';
  await ctx.apps.createNamespacedStatefulSet({ namespace: ctx.namespace, body: set });
  await poll({
    what: `statefulset ${ctx.namespace}/${name} ready`,
    deadline: 'podReady',
    intervalMs: 1000,
    attempt: async () => {
      const s = await ctx.apps.readNamespacedStatefulSet({ name, namespace: ctx.namespace });
      const want = s.spec?.replicas ?? 1;
      const have = s.status?.readyReplicas ?? 0;
      return { done: have === want, state: have, summary: `${have} of ${want} ready` };
    },
  });
}

/** Creates the never-ready pod and waits until it runs and its Service lists it as not ready. */
async function startNeverReady(ctx: SuiteContext): Promise<V1Pod> {
  // Serves on :80 like the others, but is probed on :81 where nothing listens.
  const container: V1Container = {
    ...colorContainer(ctx),
    readinessProbe: httpReadinessProbe('/', httpPort + 1),
  };
  const name = names.neverReady;
  await ctx.core.createNamespacedPod({
    namespace: ctx.namespace,
    body: podSpec(ctx, { name, containers: [container], labels: { app: name } }),
  });
  const pod = await poll({
    what: `pod ${ctx.namespace}/${name} running with an IP`,
    deadline: 'podReady',
    intervalMs: 1000,
    attempt: async () => {
      const p = await ctx.core.readNamespacedPod({ name, namespace: ctx.namespace });
      const running = p.status?.containerStatuses?.every((c) => c.state?.running) ?? false;
      return {
        done: running && p.status?.podIP !== undefined,
        state: p,
        summary: `phase ${p.status?.phase ?? '?'}, IP ${p.status?.podIP ?? 'none'}`,
      };
    },
  });
  const ip = pod.status?.podIP ?? '';
  await poll({
    what: `EndpointSlice of Service ${names.neverReady} listing ${ip} as not ready`,
    deadline: 'endpointsConverge',
    attempt: async () => {
      const slices = await ctx.discovery.listNamespacedEndpointSlice({
        namespace: ctx.namespace,
        labelSelector: `kubernetes.io/service-name=${names.neverReady}`,
      });
      const endpoints = slices.items.flatMap((s) => s.endpoints ?? []);
      return {
        done: endpoints.some((e) => e.addresses.includes(ip) && e.conditions?.ready === false),
        state: endpoints,
      };
    },
  });
  return pod;
}

/** Reads the cluster domain from kube-system/kubelet-config, or undefined when absent. */
async function domainFromKubeletConfig(ctx: SuiteContext): Promise<string | undefined> {
  try {
    const cm = await ctx.core.readNamespacedConfigMap({
      name: 'kubelet-config',
      namespace: 'kube-system',
    });
    return clusterDomainFromKubeletConfig(cm.data?.kubelet ?? '');
  } catch {
    return undefined;
  }
}

/** Reads the ClusterIP of kube-system/kube-dns. */
async function kubeDnsIP(ctx: SuiteContext): Promise<string> {
  const svc = await ctx.core
    .readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' })
    .catch((error: unknown) => {
      throw new Error('the cluster has no Service kube-system/kube-dns to read its IP from', {
        cause: error,
      });
    });
  const ip = svc.spec?.clusterIP;
  if (ip === undefined || ip === 'None') throw new Error('kube-system/kube-dns has no ClusterIP');
  return ip;
}

/** Starts the area's objects in parallel and waits until they are ready (or, for never-ready, listed). */
export async function setUpDns(ctx: SuiteContext): Promise<DnsFixtures> {
  const [kubeletDomain, dnsIP, client, , , , , , neverReadyPod] = await Promise.all([
    domainFromKubeletConfig(ctx),
    kubeDnsIP(ctx),
    startPod(
      ctx,
      podSpec(ctx, {
        name: names.client,
        containers: [netshootContainer(ctx, names.clientContainer)],
      }),
    ),
    createService(ctx, service(names.web, names.web, false)),
    createService(ctx, service(names.headless, statefulSetApp(names.statefulSet), true)),
    createService(ctx, service(names.neverReady, names.neverReady, true)),
    startDeployment(ctx, {
      metadata: { name: names.web, namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: names.web } },
        template: {
          metadata: { labels: { ...ctx.labels, app: names.web } },
          spec: { containers: [colorContainer(ctx)], terminationGracePeriodSeconds: 2 },
        },
      },
    }),
    Promise.all([
      startStatefulSet(ctx, statefulSet(ctx, names.statefulSet, names.headless, 2)),
      startStatefulSet(ctx, statefulSet(ctx, names.orphan, names.missingService, 1)),
    ]),
    startNeverReady(ctx),
  ]);
  let clusterDomain = kubeletDomain;
  let domainSource =
    'clusterDomain of the kubelet configuration (ConfigMap kube-system/kubelet-config)';
  if (clusterDomain === undefined) {
    const resolv = await ctx.exec(names.client, names.clientContainer, ['cat', '/etc/resolv.conf']);
    clusterDomain = clusterDomainFromSearch(parseResolvConf(resolv.stdout).search, ctx.namespace);
    domainSource = `the first search domain of pod ${names.client}'s resolv.conf`;
    if (clusterDomain === undefined) {
      throw new Error(
        `the cluster domain could not be read: no clusterDomain in kube-system/kubelet-config, and the search list of ${names.client} does not start with ${ctx.namespace}.svc.<domain>:\n${resolv.stdout}`,
      );
    }
  }
  ctx.log(`cluster domain ${clusterDomain} (${domainSource}); kube-dns ${dnsIP}`);
  return { clusterDomain, domainSource, kubeDnsIP: dnsIP, client, neverReadyPod };
}
