/**
 * Is there a LoadBalancer implementation to verify? Decided once, before the checks are
 * registered, so that on a cluster without one every check is skipped with the reason:
 *
 * 1. A known in-cluster implementation is installed: a MetalLB controller Deployment (labels
 *    app=metallb, component=controller, in any namespace). Its presence alone counts, whatever its
 *    replicas: a controller scaled to zero is a broken implementation, which the checks must
 *    report as failures, not skip.
 * 2. Otherwise (cloud providers, cloud-provider-kind running outside the cluster, anything else):
 *    a probe. A LoadBalancer Service without selector is created in a namespace of the run and
 *    watched for the "loadBalancerAddress" deadline; an address means an implementation exists.
 *    No address: skip with "no controller assigned an address within N s".
 */
import { AppsV1Api } from '@kubernetes/client-node';
import { messageOf } from '../../helpers/errors.ts';
import { poll, PollTimeoutError } from '../../helpers/poll.ts';
import { timeout } from '../../helpers/timeouts.ts';
import { suiteEnvironment } from '../framework/environment.ts';
import { openSuite } from '../framework/suite-context.ts';

/** What was found: the implementation's name, or the reason to skip every check. */
export type Implementation =
  | { readonly present: true; readonly name: string }
  | { readonly present: false; readonly reason: string };

/** MetalLB's controller Deployments in any namespace, as "<namespace>/<name> (<ready>/<wanted> ready)". */
export async function metallbControllers(): Promise<string[]> {
  const apps = suiteEnvironment().kubeConfig.makeApiClient(AppsV1Api);
  const list = await apps.listDeploymentForAllNamespaces({
    labelSelector: 'app=metallb,component=controller',
  });
  return list.items.map(
    (d) =>
      `${d.metadata?.namespace ?? '?'}/${d.metadata?.name ?? '?'} (${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1} ready)`,
  );
}

/** Creates a throw-away LoadBalancer Service and waits for an address (see the file comment). */
async function probeForAddress(): Promise<Implementation> {
  const ctx = await openSuite('loadbalancer-probe');
  const seconds = Math.round(timeout('loadBalancerAddress') / 1000);
  try {
    await ctx.core.createNamespacedService({
      namespace: ctx.namespace,
      body: {
        metadata: { name: 'probe', labels: { ...ctx.labels } },
        spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] },
      },
    });
    const address = await poll({
      what: 'an address for a LoadBalancer Service (is any implementation installed?)',
      deadline: 'loadBalancerAddress',
      attempt: async () => {
        const s = await ctx.core.readNamespacedService({ name: 'probe', namespace: ctx.namespace });
        const ingress = s.status?.loadBalancer?.ingress?.[0];
        const address = ingress?.ip ?? ingress?.hostname;
        return { done: address !== undefined, state: address, summary: address ?? 'no address' };
      },
    });
    return { present: true, name: `an implementation that assigned ${address ?? '?'}` };
  } catch (error) {
    if (error instanceof PollTimeoutError) {
      return {
        present: false,
        reason: `no LoadBalancer implementation: no controller assigned an address within ${seconds} s (and no MetalLB controller Deployment is installed)`,
      };
    }
    throw error;
  } finally {
    await ctx.cleanup.runAll();
  }
}

/** Finds the implementation; the probe runs only when no known one is installed. */
export async function findImplementation(): Promise<Implementation> {
  try {
    const metallb = await metallbControllers();
    if (metallb.length > 0)
      return { present: true, name: `MetalLB, controller ${metallb.join(', ')}` };
    return await probeForAddress();
  } catch (error) {
    return {
      present: false,
      reason: `could not look for a LoadBalancer implementation: ${messageOf(error)}`,
    };
  }
}
