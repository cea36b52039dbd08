/**
 * The pods behind a Service as the API server sees them now: the expectations of the headless and
 * SRV checks are built from these (re-read on every attempt), so DNS is compared with the pods'
 * readiness, not with a snapshot taken at set-up.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { SuiteContext } from '../framework/suite-context.ts';

/** True when the pod's Ready condition is True. */
export function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The Service `name` of the suite's namespace. */
export function readService(ctx: SuiteContext, name: string): Promise<V1Service> {
  return ctx.core.readNamespacedService({ name, namespace: ctx.namespace });
}

/** Pods matched by the selector of Service `name`, sorted by name, each with readiness and IP. */
export async function podsOfService(ctx: SuiteContext, name: string): Promise<V1Pod[]> {
  const svc = await readService(ctx, name);
  const selector = Object.entries(svc.spec?.selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (selector === '') throw new Error(`Service ${name} has no selector`);
  const pods = await ctx.core.listNamespacedPod({
    namespace: ctx.namespace,
    labelSelector: selector,
  });
  return pods.items
    .filter((p) => p.metadata?.deletionTimestamp === undefined)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** A pod's name, IP and readiness as one phrase for an expectation's "because". */
export function podPhrase(pods: readonly V1Pod[]): string {
  if (pods.length === 0) return 'no pods';
  return pods
    .map(
      (p) =>
        `${p.metadata?.name ?? '?'} ${p.status?.podIP ?? 'no IP'} ${isReady(p) ? 'Ready' : 'not Ready'}`,
    )
    .join(', ');
}
