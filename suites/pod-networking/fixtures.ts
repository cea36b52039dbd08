/**
 * Fixtures of the pod-networking area: a netshoot client on the first schedulable node, a color
 * server on the same node and one on the second node (when there is one), a pod with two
 * containers (nginx and netshoot) for the localhost check, and an HTTP server outside the cluster
 * (a netshoot container on the nodes' network running knc-http-echo) for the egress check; on the
 * second node also an nginx pod serving a large file (suites/framework/large-file.ts).
 */
import type { V1Pod } from '@kubernetes/client-node';
import { startLargeFileServer, type LargeFile } from '../framework/large-file.ts';
import { startOutsideHostIfPossible, type OutsideHost } from '../framework/outside.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import {
  colorContainer,
  internalIP,
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
  /** Serves the large file on the second node; absent on a single-node cluster. */
  readonly largeFileOtherNode: LargeFile | undefined;
  /** The InternalIP of the client's node (the source egress traffic should leave with). */
  readonly clientNodeIP: string;
  /** An HTTP server outside the cluster answering with the client address it saw (port 80). */
  readonly outsideServer: OutsideHost | undefined;
}

/** Starts the area's pods in parallel and waits for all of them. */
export async function setUpPodNetworking(ctx: SuiteContext): Promise<PodNetworkingFixtures> {
  const schedulable = await schedulableNodes(ctx);
  const nodes = schedulable.map((n) => n.metadata?.name ?? '');
  const [first, second] = nodes;
  if (first === undefined || schedulable[0] === undefined) throw new Error('no schedulable node');
  const clientNodeIP = internalIP(schedulable[0]);
  const [
    client,
    serverSameNode,
    serverOtherNode,
    largeFileOtherNode,
    twoContainers,
    outsideServer,
  ] = await Promise.all([
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
    second === undefined
      ? Promise.resolve(undefined)
      : startLargeFileServer(ctx, 'large-file-other-node', second),
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
    startOutsideHostIfPossible(ctx, 'outside-server', ['/usr/local/bin/knc-http-echo', '80']),
  ]);
  return {
    client,
    serverSameNode,
    serverOtherNode,
    largeFileOtherNode,
    twoContainers,
    clientNodeIP,
    outsideServer,
  };
}
