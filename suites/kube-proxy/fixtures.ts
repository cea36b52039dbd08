/**
 * Fixtures of the kube-proxy area: one host-network netshoot pod on every node (control plane
 * included, tolerating its taints), to read what kube-proxy serves on the node's loopback and,
 * with NET_ADMIN, the rules it programmed; a netshoot client pod for traffic probes; a Deployment
 * of 3 color pods behind Service "backends" (port 80 "http") whose rules the rule checks read and
 * scale; and Service "no-endpoints", whose selector matches no pod.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { SuiteContext } from '../framework/suite-context.ts';
import {
  colorContainer,
  createService,
  internalIP,
  netshootContainer,
  podSpec,
  schedulableNodes,
  startDeployment,
  startPod,
} from '../framework/workloads.ts';

/** One host-network probe pod per node. */
export interface NodeProbe {
  readonly node: string;
  readonly nodeIP: string;
  readonly pod: V1Pod;
}

/** The Deployment behind Service "backends". */
export interface Backends {
  readonly deployment: string;
  /** Replicas it was started with. */
  readonly replicas: number;
  /** The Service as stored (ClusterIP allocated); its only port is 80, named {@link portName}. */
  readonly service: V1Service;
  readonly portName: string;
}

/** The area's fixtures. */
export interface KubeProxyFixtures {
  readonly nodeProbes: readonly NodeProbe[];
  /** The probe pod on the first schedulable node: where rule dumps are read. */
  readonly ruleReader: NodeProbe;
  /** A netshoot pod (pod network) on the first schedulable node. */
  readonly client: V1Pod;
  readonly backends: Backends;
  /** A Service (port 80) whose selector matches no pod. */
  readonly noEndpoints: V1Service;
}

const backendLabels = { app: 'backends' };

/** Starts the probe pods, the client, the backends and both Services; waits for all of them. */
export async function setUpKubeProxy(ctx: SuiteContext): Promise<KubeProxyFixtures> {
  const nodes = (await ctx.core.listNode()).items;
  const firstSchedulable = (await schedulableNodes(ctx))[0]?.metadata?.name;
  if (firstSchedulable === undefined) throw new Error('no schedulable node');
  const replicas = 3;
  const [nodeProbes, client, , service, noEndpoints] = await Promise.all([
    Promise.all(
      nodes.map(async (node, i) => {
        const name = node.metadata?.name ?? '';
        const spec = podSpec(ctx, {
          name: `node-probe-${i}`,
          nodeName: name,
          hostNetwork: true,
          containers: [
            {
              ...netshootContainer(ctx),
              securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
            },
          ],
        });
        const pod = await startPod(ctx, {
          ...spec,
          spec: {
            ...spec.spec,
            containers: spec.spec?.containers ?? [],
            tolerations: [{ operator: 'Exists' }],
          },
        });
        return { node: name, nodeIP: internalIP(node), pod };
      }),
    ),
    startPod(
      ctx,
      podSpec(ctx, {
        name: 'client',
        nodeName: firstSchedulable,
        containers: [netshootContainer(ctx)],
      }),
    ),
    startDeployment(ctx, {
      metadata: { name: 'backends', namespace: ctx.namespace, labels: { ...ctx.labels } },
      spec: {
        replicas,
        selector: { matchLabels: backendLabels },
        template: {
          metadata: { labels: { ...ctx.labels, ...backendLabels } },
          spec: { containers: [colorContainer(ctx)], terminationGracePeriodSeconds: 2 },
        },
      },
    }),
    createService(ctx, {
      metadata: { name: 'backends' },
      spec: {
        selector: backendLabels,
        ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
      },
    }),
    createService(ctx, {
      metadata: { name: 'no-endpoints' },
      spec: {
        selector: { app: 'no-such-pod' },
        ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
      },
    }),
  ]);
  const ruleReader = nodeProbes.find((p) => p.node === firstSchedulable);
  if (ruleReader === undefined) throw new Error(`no probe pod on node ${firstSchedulable}`);
  return {
    nodeProbes,
    ruleReader,
    client,
    backends: { deployment: 'backends', replicas, service, portName: 'http' },
    noEndpoints,
  };
}
