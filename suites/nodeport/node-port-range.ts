/**
 * The cluster's node-port range: the kube-apiserver flag --service-node-port-range read from the
 * static pod's command in kube-system, or Kubernetes' default 30000-32767 when the flag is unset.
 * On a managed control plane (no kube-apiserver pod to read) the default is assumed, and the
 * source says so.
 */
import type { SuiteContext } from '../framework/suite-context.ts';

/** An inclusive port range and where it was read. */
export interface NodePortRange {
  readonly low: number;
  readonly high: number;
  /** A sentence saying where the range came from (for the evidence). */
  readonly source: string;
}

/** Kubernetes' default node-port range. */
export const defaultNodePortRange = { low: 30000, high: 32767 } as const;

/**
 * Parses --service-node-port-range from kube-apiserver's argv ("30000-32767", or a single port
 * "N" meaning N-N; "--flag value" and "--flag=value" both accepted); undefined when it is unset.
 */
export function parseNodePortRangeFlag(
  argv: readonly string[],
): { low: number; high: number; raw: string } | undefined {
  const flag = '--service-node-port-range';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    let raw: string | undefined;
    if (arg.startsWith(`${flag}=`)) raw = arg.slice(flag.length + 1);
    else if (arg === flag) raw = argv[i + 1];
    if (raw === undefined) continue;
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(raw);
    if (m?.[1] === undefined) throw new Error(`cannot parse ${flag}=${raw}`);
    const low = Number(m[1]);
    return { low, high: m[2] === undefined ? low : Number(m[2]), raw };
  }
  return undefined;
}

/** Reads the range from the kube-apiserver pod(s) of kube-system. */
export async function readNodePortRange(ctx: SuiteContext): Promise<NodePortRange> {
  const pods = await ctx.core.listNamespacedPod({
    namespace: 'kube-system',
    labelSelector: 'component=kube-apiserver',
  });
  const pod = pods.items[0];
  const container = pod?.spec?.containers.find((c) => c.name === 'kube-apiserver');
  if (pod === undefined || container === undefined) {
    return {
      ...defaultNodePortRange,
      source:
        'no kube-apiserver pod in kube-system (managed control plane?): assuming the default 30000-32767',
    };
  }
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  const name = pod.metadata?.name ?? 'kube-apiserver';
  const flag = parseNodePortRangeFlag(argv);
  if (flag === undefined) {
    return {
      ...defaultNodePortRange,
      source: `--service-node-port-range is not set in the command of kube-system/${name}: the default 30000-32767 applies`,
    };
  }
  return {
    low: flag.low,
    high: flag.high,
    source: `--service-node-port-range=${flag.raw} in the command of kube-system/${name}`,
  };
}
