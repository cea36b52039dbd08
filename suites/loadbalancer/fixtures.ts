/**
 * Fixtures of the loadbalancer area, started in parallel:
 * - `web`: a color Deployment of 3 replicas spread over the schedulable nodes, behind the
 *   LoadBalancer Service `web` (externalTrafficPolicy Cluster);
 * - `pinned`: one color replica pinned to the last schedulable node, behind the LoadBalancer
 *   Service `pinned-local` (externalTrafficPolicy Local), for the source-IP check;
 * - a netshoot client pod inside the cluster, and a netshoot container outside it (on the nodes'
 *   Docker network) playing the external client.
 * Setup ends when the Services' EndpointSlices list their ready pods. It does not wait for the
 * external addresses: that wait is started here (so its duration counts from the Service's
 * creation) and awaited by the checks through {@link LoadBalancerFixtures.address}, once for all
 * of them, so a missing implementation fails each check with the same message instead of
 * failing the whole area's set-up.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { poll, PollTimeoutError } from '../../helpers/poll.ts';
import { timeout } from '../../helpers/timeouts.ts';
import { startOutsideHostIfPossible, type OutsideHost } from '../framework/outside.ts';
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
import { metallbControllers } from './implementation.ts';

/** A node as the checks address it. */
export interface NodeAddress {
  readonly name: string;
  readonly internalIP: string;
}

/** An external address and how long after the Service's creation it appeared. */
export interface AssignedAddress {
  readonly ip: string;
  readonly afterMs: number;
}

/** The LoadBalancer Services of the fixtures. */
export type LoadBalancerServiceName = 'web' | 'pinned-local';

/** The area's fixtures. */
export interface LoadBalancerFixtures {
  /** Every node, control plane included, sorted by name. */
  readonly nodes: readonly NodeAddress[];
  /** The web Deployment's pod names (the backends a spread must reach), sorted. */
  readonly webPods: readonly string[];
  /** The LoadBalancer Service in front of `web`, as stored (ClusterIP and nodePort allocated). */
  readonly web: V1Service;
  /** The node the `pinned` replica runs on, and its pod. */
  readonly pinnedNode: string;
  readonly pinnedPod: string;
  /** LoadBalancer Service with externalTrafficPolicy Local in front of `pinned`. */
  readonly pinnedLocal: V1Service;
  /** A netshoot pod inside the cluster. */
  readonly client: V1Pod;
  /** A netshoot container outside the cluster, on the nodes' network. */
  readonly outside: OutsideHost | undefined;
  /**
   * The external address of a fixture Service; rejects, with what was observed, when none was
   * assigned within the "loadBalancerAddress" deadline. One wait per Service, shared by the checks.
   */
  address(service: LoadBalancerServiceName): Promise<AssignedAddress>;
}

/** Replicas of `web`. */
export const webReplicas = 3;

/** A LoadBalancer Service on port 80 in front of the pods labelled app=`app`. */
export function loadBalancerService(
  name: string,
  app: string,
  policy: 'Cluster' | 'Local',
  loadBalancerIP?: string,
): V1Service {
  return {
    metadata: { name },
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: policy,
      selector: { app },
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
      ...(loadBalancerIP === undefined ? {} : { loadBalancerIP }),
    },
  };
}

/**
 * Waits for the first ingress IP of Service `name` ("loadBalancerAddress" deadline); the time is
 * counted from `createdAt` (performance.now() when the Service was created).
 */
export async function waitForAddress(
  ctx: SuiteContext,
  name: string,
  createdAt: number,
): Promise<AssignedAddress> {
  try {
    const ip = await poll({
      what: `an external address in status.loadBalancer.ingress of Service ${ctx.namespace}/${name}`,
      deadline: 'loadBalancerAddress',
      attempt: async () => {
        const s = await ctx.core.readNamespacedService({ name, namespace: ctx.namespace });
        const ingress = s.status?.loadBalancer?.ingress ?? [];
        const ip = ingress.find((i) => i.ip !== undefined && i.ip !== '')?.ip;
        return {
          done: ip !== undefined,
          state: ip ?? '',
          summary:
            ingress.length === 0 ? 'status.loadBalancer.ingress empty' : JSON.stringify(ingress),
        };
      },
    });
    return { ip, afterMs: Math.round(performance.now() - createdAt) };
  } catch (error) {
    if (error instanceof PollTimeoutError) {
      const controllers = await metallbControllers().catch(() => []);
      throw new Error(
        `Service ${name} got no external address within ${Math.round(timeout('loadBalancerAddress') / 1000)} s ` +
          `of its creation (${error.lastState}); ` +
          (controllers.length > 0
            ? `MetalLB controller ${controllers.join(', ')}`
            : 'is the LoadBalancer controller running?'),
        { cause: error },
      );
    }
    throw error;
  }
}

/** Starts everything in parallel and waits until the Services have their endpoints. */
export async function setUpLoadBalancer(ctx: SuiteContext): Promise<LoadBalancerFixtures> {
  const [allNodes, schedulable] = await Promise.all([ctx.core.listNode(), schedulableNodes(ctx)]);
  const nodes = allNodes.items
    .map((n) => ({ name: n.metadata?.name ?? '', internalIP: internalIP(n) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const pinnedNode = schedulable.at(-1)?.metadata?.name;
  if (pinnedNode === undefined) throw new Error('no schedulable node');
  const waits = new Map<LoadBalancerServiceName, Promise<AssignedAddress>>();
  const createLB = async (
    name: LoadBalancerServiceName,
    service: V1Service,
  ): Promise<V1Service> => {
    const created = await createService(ctx, service);
    const wait = waitForAddress(ctx, name, performance.now());
    wait.catch(() => undefined); // awaited by the checks; no unhandled rejection meanwhile
    waits.set(name, wait);
    return created;
  };
  const [web, pinnedLocal, client, outside] = await Promise.all([
    createLB('web', loadBalancerService('web', 'web', 'Cluster')),
    createLB('pinned-local', loadBalancerService('pinned-local', 'pinned', 'Local')),
    startPod(ctx, podSpec(ctx, { name: 'client', containers: [netshootContainer(ctx)] })),
    startOutsideHostIfPossible(ctx, 'outside-client'),
    startDeployment(
      ctx,
      colorDeployment(ctx, 'web', webReplicas, {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'DoNotSchedule',
            nodeTaintsPolicy: 'Honor',
            labelSelector: { matchLabels: { app: 'web' } },
          },
        ],
      }),
    ),
    startDeployment(
      ctx,
      colorDeployment(ctx, 'pinned', 1, {
        nodeSelector: { 'kubernetes.io/hostname': pinnedNode },
      }),
    ),
  ]);
  const [webPods, pinnedPods] = await Promise.all([
    podsOfApp(ctx, 'web'),
    podsOfApp(ctx, 'pinned'),
    waitReadyEndpoints(ctx, 'web', webReplicas),
    waitReadyEndpoints(ctx, 'pinned-local', 1),
  ]);
  const pinnedPod = pinnedPods[0]?.metadata?.name;
  if (pinnedPod === undefined) throw new Error('the pinned Deployment has no pod');
  return {
    nodes,
    webPods: webPods.map((p) => p.metadata?.name ?? '').sort(),
    web,
    pinnedNode,
    pinnedPod,
    pinnedLocal,
    client,
    outside,
    address: async (service) => {
      const wait = waits.get(service);
      if (wait === undefined) throw new Error(`no LoadBalancer Service ${service} in the fixtures`);
      return wait;
    },
  };
}
