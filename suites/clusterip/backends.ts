/**
 * What a Service routes to, as the control plane publishes it: the endpoints of its
 * EndpointSlices (address, port, conditions, the pod behind it), and the pods of a Deployment.
 * Checks compare these with the pods that actually answered.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { poll } from '../../helpers/poll.ts';
import type { TimeoutName } from '../../helpers/timeouts.ts';
import type { SuiteContext } from '../framework/suite-context.ts';

/** One address:port of a Service's EndpointSlices with its conditions. */
export interface SliceEndpoint {
  readonly slice: string;
  readonly address: string;
  readonly port: number;
  readonly portName: string;
  /** The pod behind the address (targetRef), when the slice names one. */
  readonly pod: string | undefined;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

/** Every endpoint × port of the EndpointSlices of `service` (label kubernetes.io/service-name). */
export async function sliceEndpoints(ctx: SuiteContext, service: string): Promise<SliceEndpoint[]> {
  const slices = await ctx.discovery.listNamespacedEndpointSlice({
    namespace: ctx.namespace,
    labelSelector: `kubernetes.io/service-name=${service}`,
  });
  const out: SliceEndpoint[] = [];
  for (const slice of slices.items) {
    for (const ep of slice.endpoints ?? []) {
      for (const address of ep.addresses) {
        for (const port of slice.ports ?? []) {
          out.push({
            slice: slice.metadata?.name ?? '?',
            address,
            port: port.port ?? 0,
            portName: port.name ?? '',
            pod: ep.targetRef?.kind === 'Pod' ? ep.targetRef.name : undefined,
            // An unset ready condition means ready (EndpointSlice API semantics).
            ready: ep.conditions?.ready !== false,
            serving: ep.conditions?.serving !== false,
            terminating: ep.conditions?.terminating === true,
          });
        }
      }
    }
  }
  return out.sort((a, b) => `${a.address}:${a.port}`.localeCompare(`${b.address}:${b.port}`));
}

/** A table of slice endpoints for evidence. */
export function renderSliceEndpoints(endpoints: readonly SliceEndpoint[]): string {
  if (endpoints.length === 0) return '(no endpoints)';
  return endpoints
    .map(
      (e) =>
        `${`${e.address}:${e.port}/${e.portName}`.padEnd(28)} pod ${(e.pod ?? '-').padEnd(34)} ready=${e.ready} serving=${e.serving} terminating=${e.terminating} (slice ${e.slice})`,
    )
    .join('\n');
}

/** True when the pod's Ready condition is True and it is not being deleted. */
export function isReadyPod(pod: V1Pod): boolean {
  return (
    pod.metadata?.deletionTimestamp === undefined &&
    (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false)
  );
}

/** Pods with label app=`app` in the suite's namespace, sorted by name. */
export async function podsOf(ctx: SuiteContext, app: string): Promise<V1Pod[]> {
  const list = await ctx.core.listNamespacedPod({
    namespace: ctx.namespace,
    labelSelector: `app=${app}`,
  });
  return list.items.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** Names of pods, for messages. */
export function podNames(pods: readonly V1Pod[]): string[] {
  return pods.map((p) => p.metadata?.name ?? '?');
}

/** What {@link awaitReadyEndpoints} returns once the slices match the ready pods. */
export interface ConvergedEndpoints {
  readonly pods: V1Pod[];
  readonly endpoints: SliceEndpoint[];
}

/**
 * Waits until the ready endpoints of `service` are exactly the IPs of the Ready pods labelled
 * app=`app` (and, when given, there are `replicas` of them), under the named deadline.
 */
export async function awaitReadyEndpoints(
  ctx: SuiteContext,
  service: string,
  app: string,
  options: { readonly replicas?: number; readonly deadline?: TimeoutName } = {},
): Promise<ConvergedEndpoints> {
  return poll({
    what: `the ready endpoints of Service ${service} to be the Ready pods of app=${app}${options.replicas === undefined ? '' : ` (${options.replicas})`}`,
    deadline: options.deadline ?? 'endpointsConverge',
    attempt: async () => {
      const [pods, endpoints] = await Promise.all([podsOf(ctx, app), sliceEndpoints(ctx, service)]);
      const ready = pods.filter(isReadyPod);
      const want = ready.map((p) => p.status?.podIP ?? '?').sort();
      const have = [...new Set(endpoints.filter((e) => e.ready).map((e) => e.address))].sort();
      const countOk = options.replicas === undefined || ready.length === options.replicas;
      return {
        done: countOk && want.length > 0 && want.join() === have.join(),
        state: { pods: ready, endpoints },
        summary: `Ready pods ${podNames(ready).join(', ') || 'none'} (${want.join(', ')}); ready endpoints ${have.join(', ') || 'none'}`,
      };
    },
  });
}
