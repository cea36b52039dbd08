/**
 * Fixtures of the ClusterIP area, all started at once:
 *
 * - `web`: the classic tutorial's nginx Deployment (3 replicas; an init container writes an
 *   index.html saying "This is <pod name>" from the downward API) behind the ClusterIP Service
 *   `web` (port 80, named port http), plus `web-sticky`, a second Service over the same pods
 *   with sessionAffinity ClientIP. Checks only read and send traffic to these.
 * - a netshoot `client` pod that sends the requests, on the first schedulable node.
 * - `large`: an nginx pod serving a large file (suites/framework/large-file.ts) on the second
 *   schedulable node, behind the ClusterIP Service `large` (none on a single-node cluster).
 * - one Deployment and Service per check that changes things, so checks never disturb each
 *   other: `renew` (pods deleted and replaced), `scaling` (2 → 4 → 1), `churn` (a pod deleted under
 *   traffic), `gate` (2 ready pods plus the pod `gate-unready` whose readiness probe 404s).
 * - `hairpin`: one pod (the color server and a netshoot container) as the only backend of the
 *   ClusterIP Service `hairpin`, so a request from the pod to its Service must come back to it.
 * - `echo`: 3 netshoot pods answering "udp <pod>" and "tcp <pod>" on port 9000
 *   (suites/framework/udp-echo.ts) behind the Service `echo`, whose two ports share the number
 *   9000, one UDP and one TCP.
 * - a container outside the cluster on the nodes' network (only where that network is known).
 * - the load-balancing policy of the Service proxy, read from the kube-proxy ConfigMap.
 */
import type { V1Deployment, V1Node, V1Pod, V1PodSpec, V1Service } from '@kubernetes/client-node';
import { poll } from '../../helpers/poll.ts';
import { startLargeFileServer, type LargeFile } from '../framework/large-file.ts';
import { echoPort, udpTcpEchoContainer } from '../framework/udp-echo.ts';
import { startOutsideHostIfPossible, type OutsideHost } from '../framework/outside.ts';
import { httpReadinessProbe } from '../framework/readiness-probe.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import {
  colorContainer,
  createService,
  netshootContainer,
  podSpec,
  schedulableNodes,
  startDeployment,
  startPod,
} from '../framework/workloads.ts';
import { awaitReadyEndpoints } from './backends.ts';

/** A Deployment whose pods carry app=<name>, and the ClusterIP Service `name` in front of it. */
export interface Backends {
  /** Deployment, Service and pod label app share this name. */
  readonly name: string;
  readonly replicas: number;
  readonly service: V1Service;
  /** The Service's ClusterIP. */
  readonly ip: string;
}

/** How the Service proxy picks a backend, as far as the cluster says. */
export interface BalancingPolicy {
  /** kube-proxy's mode ("iptables", "nftables", "ipvs"), or undefined without kube-proxy. */
  readonly proxyMode: string | undefined;
  /** The IPVS scheduler (kube-proxy's default "rr" when unset); "" outside IPVS mode. */
  readonly ipvsScheduler: string;
  /** Where the mode came from, for evidence. */
  readonly source: string;
}

/** Everything the ClusterIP checks share. */
export interface ClusterIPFixtures {
  readonly client: V1Pod;
  readonly web: Backends;
  /** Same pods as web, sessionAffinity ClientIP. */
  readonly sticky: Backends;
  readonly renew: Backends;
  readonly scaling: Backends;
  readonly churn: Backends;
  readonly gate: Backends;
  /** The pod behind `hairpin`, which calls its own Service; hairpin.replicas is 1. */
  readonly hairpin: Backends;
  readonly hairpinPod: V1Pod;
  /** UDP and TCP echo servers behind one Service port number over both protocols. */
  readonly echo: Backends;
  /** The large-file server on another node than the client, and its Service; absent on one node. */
  readonly large: { readonly file: LargeFile; readonly service: Backends } | undefined;
  /** Has the Service's labels, but its readiness probe asks for a path nginx answers 404 to. */
  readonly gateUnready: V1Pod;
  /** Absent where the nodes' Docker network is unknown (see outside-network.ts). */
  readonly outside: OutsideHost | undefined;
  /** The control-plane node (the outside check's control target), when one is visible. */
  readonly controlPlane: V1Node | undefined;
  readonly policy: BalancingPolicy;
}

/** The readiness path every nginx backend serves (the init container writes it). */
export const readyPath = '/index.html';
/** A path nginx answers 404 to: the readiness probe of `gate-unready`. */
export const missingPath = '/not-served';

/**
 * The pod spec of an nginx backend that says who it is: an init container (the nginx image's sh)
 * writes "This is <pod name>" into an emptyDir served as nginx's document root.
 */
export function namedNginxPodSpec(ctx: SuiteContext, probePath = readyPath): V1PodSpec {
  return {
    terminationGracePeriodSeconds: 2,
    initContainers: [
      {
        name: 'write-index',
        image: ctx.images.nginx,
        imagePullPolicy: 'IfNotPresent',
        command: ['sh', '-c', 'echo "This is $POD_NAME" > /html/index.html'],
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        volumeMounts: [{ name: 'html', mountPath: '/html' }],
      },
    ],
    containers: [
      {
        name: 'nginx',
        image: ctx.images.nginx,
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 80, name: 'http' }],
        volumeMounts: [{ name: 'html', mountPath: '/usr/share/nginx/html' }],
        readinessProbe: httpReadinessProbe(probePath, 'http'),
      },
    ],
    volumes: [{ name: 'html', emptyDir: {} }],
  };
}

/** A pod spec of the color image (answers "This is <pod name>"), quick to start and to stop. */
function colorPodSpec(ctx: SuiteContext): V1PodSpec {
  return { terminationGracePeriodSeconds: 2, containers: [colorContainer(ctx)] };
}

/** A Deployment of `replicas` pods labelled app=`name` running `spec`. */
function deployment(
  ctx: SuiteContext,
  name: string,
  replicas: number,
  spec: V1PodSpec,
): V1Deployment {
  return {
    metadata: { name, namespace: ctx.namespace, labels: { ...ctx.labels, app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { ...ctx.labels, app: name } }, spec },
    },
  };
}

/** A ClusterIP Service `name` selecting app=`app` on port 80 → the pods' port named http. */
function clusterIPService(
  name: string,
  app: string,
  extra: Partial<V1Service['spec']> = {},
): V1Service {
  return {
    metadata: { name },
    spec: {
      type: 'ClusterIP',
      selector: { app },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      ...extra,
    },
  };
}

/** The Service `echo`: port 9000 over UDP and over TCP, to the echo pods. */
const echoService: V1Service = {
  metadata: { name: 'echo' },
  spec: {
    type: 'ClusterIP',
    selector: { app: 'echo' },
    ports: (['UDP', 'TCP'] as const).map((protocol) => ({
      name: `echo-${protocol.toLowerCase()}`,
      port: echoPort,
      targetPort: echoPort,
      protocol,
    })),
  },
};

/** Starts a Deployment and its Service, and waits until the Service's endpoints are its pods. */
async function startBackends(
  ctx: SuiteContext,
  name: string,
  replicas: number,
  spec: V1PodSpec,
  service0: V1Service = clusterIPService(name, name),
): Promise<Backends> {
  const [service] = await Promise.all([
    createService(ctx, service0),
    startDeployment(ctx, deployment(ctx, name, replicas, spec)),
  ]);
  await awaitReadyEndpoints(ctx, name, name, { replicas });
  return { name, replicas, service, ip: service.spec?.clusterIP ?? '' };
}

/** Reads kube-proxy's mode and IPVS scheduler from its ConfigMap in kube-system. */
export async function readBalancingPolicy(ctx: SuiteContext): Promise<BalancingPolicy> {
  let text: string;
  try {
    const cm = await ctx.core.readNamespacedConfigMap({
      name: 'kube-proxy',
      namespace: 'kube-system',
    });
    text = cm.data?.['config.conf'] ?? '';
  } catch {
    return { proxyMode: undefined, ipvsScheduler: '', source: 'no kube-proxy ConfigMap' };
  }
  const configured = /^mode:\s*"?([a-z]*)"?\s*$/m.exec(text)?.[1] ?? '';
  // An empty mode is kube-proxy's default on Linux, iptables.
  const proxyMode = configured === '' ? 'iptables' : configured;
  const scheduler = /^ipvs:\s*$[\s\S]*?^\s+scheduler:\s*"?([a-z]*)"?\s*$/m.exec(text)?.[1] ?? '';
  return {
    proxyMode,
    ipvsScheduler: proxyMode === 'ipvs' ? scheduler || 'rr' : '',
    source: `kube-proxy ConfigMap: mode "${configured}"${proxyMode === 'ipvs' ? `, ipvs.scheduler "${scheduler}"` : ''} (profile ${ctx.profile})`,
  };
}

/** Starts a pod and waits until its containers run; it need not become Ready. */
async function startRunningPod(ctx: SuiteContext, pod: V1Pod): Promise<V1Pod> {
  const name = pod.metadata?.name ?? '';
  await ctx.core.createNamespacedPod({ namespace: ctx.namespace, body: pod });
  return poll({
    what: `pod ${ctx.namespace}/${name} running (Ready or not)`,
    deadline: 'podReady',
    intervalMs: 1000,
    attempt: async () => {
      const p = await ctx.core.readNamespacedPod({ name, namespace: ctx.namespace });
      const running = p.status?.containerStatuses?.every((c) => c.state?.running !== undefined);
      return {
        done: running === true && p.status?.podIP !== undefined,
        state: p,
        summary: `phase ${p.status?.phase ?? '?'}, containers ${
          p.status?.containerStatuses
            ?.map(
              (c) =>
                `${c.name}:${c.state?.waiting?.reason ?? (c.state?.running ? 'running' : '?')}`,
            )
            .join(',') ?? 'none yet'
        }`,
      };
    },
  });
}

/** Starts the large-file server `large` on `nodeName` and its Service; waits for its endpoint. */
async function startLarge(
  ctx: SuiteContext,
  nodeName: string,
): Promise<NonNullable<ClusterIPFixtures['large']>> {
  const [file, service] = await Promise.all([
    startLargeFileServer(ctx, 'large', nodeName, { app: 'large' }),
    createService(ctx, clusterIPService('large', 'large')),
  ]);
  await awaitReadyEndpoints(ctx, 'large', 'large', { replicas: 1 });
  return {
    file,
    service: { name: 'large', replicas: 1, service, ip: service.spec?.clusterIP ?? '' },
  };
}

/** Starts the pod `hairpin` (server and client in one) and its Service; waits for its endpoint. */
async function startHairpin(ctx: SuiteContext): Promise<{ service: Backends; pod: V1Pod }> {
  const name = 'hairpin';
  const [pod, service] = await Promise.all([
    startPod(
      ctx,
      podSpec(ctx, {
        name,
        labels: { app: name },
        containers: [colorContainer(ctx), netshootContainer(ctx)],
      }),
    ),
    createService(ctx, clusterIPService(name, name)),
  ]);
  await awaitReadyEndpoints(ctx, name, name, { replicas: 1 });
  return { pod, service: { name, replicas: 1, service, ip: service.spec?.clusterIP ?? '' } };
}

/** Starts every fixture of the area in parallel. */
export async function setUpClusterIP(ctx: SuiteContext): Promise<ClusterIPFixtures> {
  const schedulable = await schedulableNodes(ctx);
  const [first, second] = schedulable.map((n) => n.metadata?.name ?? '');
  const gateUnreadySpec = podSpec(ctx, {
    name: 'gate-unready',
    containers: [],
    labels: { app: 'gate' },
  });
  const [
    client,
    web,
    stickyService,
    renew,
    scaling,
    churn,
    gate,
    echo,
    gateUnready,
    hairpin,
    large,
    outside,
    nodes,
    policy,
  ] = await Promise.all([
    startPod(
      ctx,
      podSpec(ctx, {
        name: 'client',
        ...(first === undefined ? {} : { nodeName: first }),
        containers: [netshootContainer(ctx)],
      }),
    ),
    startBackends(ctx, 'web', 3, namedNginxPodSpec(ctx)),
    createService(ctx, clusterIPService('web-sticky', 'web', { sessionAffinity: 'ClientIP' })),
    startBackends(ctx, 'renew', 2, colorPodSpec(ctx)),
    startBackends(ctx, 'scaling', 2, colorPodSpec(ctx)),
    startBackends(ctx, 'churn', 3, colorPodSpec(ctx)),
    startBackends(ctx, 'gate', 2, namedNginxPodSpec(ctx)),
    startBackends(
      ctx,
      'echo',
      3,
      { terminationGracePeriodSeconds: 2, containers: [udpTcpEchoContainer(ctx)] },
      echoService,
    ),
    startRunningPod(ctx, {
      ...gateUnreadySpec,
      spec: namedNginxPodSpec(ctx, missingPath),
    }),
    startHairpin(ctx),
    second === undefined ? Promise.resolve(undefined) : startLarge(ctx, second),
    startOutsideHostIfPossible(ctx, 'outside'),
    ctx.core.listNode(),
    readBalancingPolicy(ctx),
  ]);
  const controlPlane = nodes.items.find(
    (n) => n.metadata?.labels?.['node-role.kubernetes.io/control-plane'] !== undefined,
  );
  const sticky: Backends = {
    name: 'web-sticky',
    replicas: web.replicas,
    service: stickyService,
    ip: stickyService.spec?.clusterIP ?? '',
  };
  return {
    client,
    web,
    sticky,
    renew,
    scaling,
    churn,
    gate,
    echo,
    gateUnready,
    hairpin: hairpin.service,
    hairpinPod: hairpin.pod,
    large,
    outside,
    controlPlane,
    policy,
  };
}
