/**
 * Fixtures of the kube-proxy area: one host-network netshoot pod on every node (control plane
 * included, tolerating its taints), to read what kube-proxy serves on the node's loopback and,
 * with NET_ADMIN, the rules it programmed.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { SuiteContext } from '../framework/suite-context.ts';
import { internalIP, netshootContainer, podSpec, startPod } from '../framework/workloads.ts';

/** One host-network probe pod per node. */
export interface NodeProbe {
  readonly node: string;
  readonly nodeIP: string;
  readonly pod: V1Pod;
}

/** The area's fixtures. */
export interface KubeProxyFixtures {
  readonly nodeProbes: readonly NodeProbe[];
}

/** Starts a host-network netshoot pod on each node. */
export async function setUpKubeProxy(ctx: SuiteContext): Promise<KubeProxyFixtures> {
  const nodes = (await ctx.core.listNode()).items;
  const nodeProbes = await Promise.all(
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
  );
  return { nodeProbes };
}
