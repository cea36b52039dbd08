/**
 * Fixtures of the pod-networking area: a netshoot client on the first schedulable node, a color
 * server on the same node and one on the second node (when there is one), and a pod with two
 * containers (nginx and netshoot) for the localhost check.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { SuiteContext } from '../framework/suite-context.ts';
import {
  colorContainer,
  netshootContainer,
  podSpec,
  schedulableNodes,
  startPod,
} from '../framework/workloads.ts';

/** The started pods (with their IPs and nodes). */
export interface PodNetworkingFixtures {
  readonly client: V1Pod;
  readonly serverSameNode: V1Pod;
  /** Absent on a single-node cluster. */
  readonly serverOtherNode: V1Pod | undefined;
  readonly twoContainers: V1Pod;
}

/** Starts the area's pods in parallel and waits for all of them. */
export async function setUpPodNetworking(ctx: SuiteContext): Promise<PodNetworkingFixtures> {
  const nodes = (await schedulableNodes(ctx)).map((n) => n.metadata?.name ?? '');
  const [first, second] = nodes;
  if (first === undefined) throw new Error('no schedulable node');
  const [client, serverSameNode, serverOtherNode, twoContainers] = await Promise.all([
    startPod(
      ctx,
      podSpec(ctx, { name: 'client', nodeName: first, containers: [netshootContainer(ctx)] }),
    ),
    startPod(
      ctx,
      podSpec(ctx, {
        name: 'server-same-node',
        nodeName: first,
        containers: [colorContainer(ctx)],
      }),
    ),
    second === undefined
      ? Promise.resolve(undefined)
      : startPod(
          ctx,
          podSpec(ctx, {
            name: 'server-other-node',
            nodeName: second,
            containers: [colorContainer(ctx)],
          }),
        ),
    startPod(
      ctx,
      podSpec(ctx, {
        name: 'two-containers',
        nodeName: first,
        containers: [
          {
            name: 'nginx',
            image: ctx.images.nginx,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 80 }],
          },
          netshootContainer(ctx),
        ],
      }),
    ),
  ]);
  return { client, serverSameNode, serverOtherNode, twoContainers };
}
