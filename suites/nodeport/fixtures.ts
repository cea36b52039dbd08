/**
 * Fixtures of the nodeport area, started in parallel:
 * - `web`: a color Deployment of 3 replicas spread over the schedulable nodes, behind the NodePort
 *   Service `web` (port allocated by the cluster);
 * - `pinned`: one color replica pinned to the last schedulable node, behind two NodePort Services
 *   that differ only in externalTrafficPolicy (`pinned-local`: Local, `pinned-cluster`: Cluster), so
 *   that nodes with and without a local endpoint can be told apart;
 * - `large`: an nginx pod serving a large file (suites/framework/large-file.ts) on the same node,
 *   behind the NodePort Service `large` (externalTrafficPolicy Cluster);
 * - `echo`: 2 netshoot pods answering "udp <pod>" on port 9000 (suites/framework/udp-echo.ts),
 *   behind the NodePort Service `echo` (one UDP port);
 * - a netshoot client pod inside the cluster, and a netshoot container outside it (on the nodes'
 *   Docker network) playing the external client.
 * Setup ends when every Service's EndpointSlices list its ready pods, so the checks only wait for
 * kube-proxy.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { startLargeFileServer, type LargeFile } from '../framework/large-file.ts';
import { startOutsideHostIfPossible, type OutsideHost } from '../framework/outside.ts';
import { echoPort, udpTcpEchoContainer } from '../framework/udp-echo.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import {
  colorDeployment,
  createService,
  internalIP,
  netshootContainer,
  podSpec,
  schedulableNodes,
  startDeployment,
  startPod,
  podsOfApp,
  waitReadyEndpoints,
} from '../framework/workloads.ts';

/** A node as the NodePort checks address it. */
export interface NodeAddress {
  readonly name: string;
  readonly internalIP: string;
}

/** The area's fixtures. */
export interface NodePortFixtures {
  /** Every node, control plane included, sorted by name. */
  readonly nodes: readonly NodeAddress[];
  /** The spread color Deployment's pod names (the backends the spread must reach). */
  readonly webPods: readonly string[];
  /** The NodePort Service in front of `web`, as stored (ClusterIP and nodePort allocated). */
  readonly web: V1Service;
  /** The node the `pinned` replica runs on. */
  readonly pinnedNode: string;
  /** The `pinned` replica's pod name. */
  readonly pinnedPod: string;
  /** NodePort Service with externalTrafficPolicy Local in front of `pinned`. */
  readonly pinnedLocal: V1Service;
  /** NodePort Service with externalTrafficPolicy Cluster in front of `pinned`. */
  readonly pinnedCluster: V1Service;
  /** The large-file server on `pinnedNode`. */
  readonly largeFile: LargeFile;
  /** NodePort Service with externalTrafficPolicy Cluster in front of `largeFile`. */
  readonly large: V1Service;
  /** NodePort Service with one UDP port in front of the `echo` pods. */
  readonly echo: V1Service;
  /** The `echo` pods' names. */
  readonly echoPods: readonly string[];
  /** A netshoot pod inside the cluster. */
  readonly client: V1Pod;
  /** A netshoot container outside the cluster, on the nodes' network. */
  readonly outside: OutsideHost | undefined;
}

/** Replicas of `web`. */
export const webReplicas = 3;
/** Replicas of `echo`. */
const echoReplicas = 2;

function nodePortService(name: string, app: string, policy: 'Cluster' | 'Local'): V1Service {
  return {
    metadata: { name },
    spec: {
      type: 'NodePort',
      externalTrafficPolicy: policy,
      selector: { app },
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
    },
  };
}

/** Starts everything in parallel and waits until the Services have their endpoints. */
export async function setUpNodePort(ctx: SuiteContext): Promise<NodePortFixtures> {
  const [allNodes, schedulable] = await Promise.all([ctx.core.listNode(), schedulableNodes(ctx)]);
  const nodes = allNodes.items
    .map((n) => ({ name: n.metadata?.name ?? '', internalIP: internalIP(n) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const pinnedNode = schedulable.at(-1)?.metadata?.name;
  if (pinnedNode === undefined) throw new Error('no schedulable node');
  const [web, pinnedLocal, pinnedCluster, large, echo, client, outside, largeFile] =
    await Promise.all([
      createService(ctx, nodePortService('web', 'web', 'Cluster')),
      createService(ctx, nodePortService('pinned-local', 'pinned', 'Local')),
      createService(ctx, nodePortService('pinned-cluster', 'pinned', 'Cluster')),
      createService(ctx, nodePortService('large', 'large', 'Cluster')),
      createService(ctx, {
        metadata: { name: 'echo' },
        spec: {
          type: 'NodePort',
          selector: { app: 'echo' },
          ports: [{ name: 'echo-udp', port: echoPort, targetPort: echoPort, protocol: 'UDP' }],
        },
      }),
      startPod(ctx, podSpec(ctx, { name: 'client', containers: [netshootContainer(ctx)] })),
      startOutsideHostIfPossible(ctx, 'outside-client'),
      startLargeFileServer(ctx, 'large', pinnedNode, { app: 'large' }),
      startDeployment(
        ctx,
        colorDeployment(ctx, 'web', webReplicas, {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              // Tainted nodes (the control plane) are not domains the replicas could go to.
              nodeTaintsPolicy: 'Honor',
              labelSelector: { matchLabels: { app: 'web' } },
            },
          ],
        }),
      ),
      startDeployment(ctx, {
        metadata: {
          name: 'echo',
          namespace: ctx.namespace,
          labels: { ...ctx.labels, app: 'echo' },
        },
        spec: {
          replicas: echoReplicas,
          selector: { matchLabels: { app: 'echo' } },
          template: {
            metadata: { labels: { ...ctx.labels, app: 'echo' } },
            spec: { terminationGracePeriodSeconds: 2, containers: [udpTcpEchoContainer(ctx)] },
          },
        },
      }),
      startDeployment(
        ctx,
        colorDeployment(ctx, 'pinned', 1, {
          nodeSelector: { 'kubernetes.io/hostname': pinnedNode },
        }),
      ),
    ]);
  const [webPods, pinnedPods, echoPods] = await Promise.all([
    podsOfApp(ctx, 'web'),
    podsOfApp(ctx, 'pinned'),
    podsOfApp(ctx, 'echo'),
    waitReadyEndpoints(ctx, 'echo', echoReplicas),
    waitReadyEndpoints(ctx, 'web', webReplicas),
    waitReadyEndpoints(ctx, 'pinned-local', 1),
    waitReadyEndpoints(ctx, 'pinned-cluster', 1),
    waitReadyEndpoints(ctx, 'large', 1),
  ]);
  const pinnedPod = pinnedPods[0]?.metadata?.name;
  if (pinnedPod === undefined) throw new Error('the pinned Deployment has no pod');
  ctx.log(
    `web pods: ${webPods.map((p) => `${p.metadata?.name ?? '?'}@${p.spec?.nodeName ?? '?'}`).join(' ')}`,
  );
  return {
    nodes,
    webPods: webPods.map((p) => p.metadata?.name ?? '').sort(),
    web,
    pinnedNode,
    pinnedPod,
    pinnedLocal,
    pinnedCluster,
    largeFile,
    large,
    echo,
    echoPods: echoPods.map((p) => p.metadata?.name ?? '').sort(),
    client,
    outside,
  };
}

/** The nodePort of a Service's first port (throws when it has none). */
export function nodePortOf(service: V1Service): number {
  const port = service.spec?.ports?.[0]?.nodePort;
  if (port === undefined)
    throw new Error(`Service ${service.metadata?.name ?? '?'} has no nodePort allocated`);
  return port;
}

/** http://<ip>:<port>/ with IPv6 addresses bracketed. */
export function httpURL(ip: string, port: number): string {
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}/`;
}
