/**
 * Fixtures of the env-vars area, created in this order so that the kubelet sees the Services or
 * not when it starts each container:
 * 1. busybox pod "env-before", Ready before any Service of the namespace exists;
 * 2. Services "web-front" (ports 80/TCP "http", 9100/TCP "metrics-port", 5353/UDP "dns-udp") and
 *    "cache" (6379/TCP, unnamed) in the area's namespace, and "other-ns-svc" (80/TCP "http") in a
 *    second namespace of the run (labelled and annotated like the area's, removed by the cleanup
 *    stack);
 * 3. busybox pods "env-after" (default: service links on) and "env-no-links"
 *    (enableServiceLinks: false).
 * The Services select no pod: the kubelet injects variables for every Service with a ClusterIP,
 * endpoints or not.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { runAnnotations, runScopedName } from '../../helpers/run-id.ts';
import type { Evidence } from '../framework/evidence.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import { createService, podSpec, startPod } from '../framework/workloads.ts';
import { parseEnv } from './service-variables.ts';

/** The area's fixtures. */
export interface EnvVarsFixtures {
  /** Created before the Services. */
  readonly before: V1Pod;
  /** Created after the Services, service links on (the default). */
  readonly after: V1Pod;
  /** Created after the Services, with enableServiceLinks: false. */
  readonly noLinks: V1Pod;
  /** The Services of the area's namespace, as stored (ClusterIPs allocated). */
  readonly services: readonly V1Service[];
  /** The Service of the second namespace, as stored. */
  readonly otherService: V1Service;
  readonly otherNamespace: string;
  /** default/kubernetes, whose variables every pod gets. */
  readonly kubernetes: V1Service;
}

function busyboxPod(ctx: SuiteContext, name: string, enableServiceLinks?: boolean): V1Pod {
  const spec = podSpec(ctx, {
    name,
    containers: [
      {
        name: 'busybox',
        image: ctx.images.busybox,
        imagePullPolicy: 'IfNotPresent',
        command: ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"],
      },
    ],
  });
  return {
    ...spec,
    spec: {
      ...spec.spec,
      containers: spec.spec?.containers ?? [],
      ...(enableServiceLinks === undefined ? {} : { enableServiceLinks }),
    },
  };
}

/** Creates the second namespace and its Service; registers the namespace's removal first. */
async function createOtherNamespaceService(
  ctx: SuiteContext,
): Promise<{ namespace: string; service: V1Service }> {
  const namespace = runScopedName(ctx.run, 'knc-env-vars-other');
  await ctx.core.createNamespace({
    body: {
      metadata: {
        name: namespace,
        labels: { ...ctx.labels, 'kube-netconform/area': ctx.area },
        annotations: runAnnotations(ctx.run),
      },
    },
  });
  ctx.cleanup.defer(`namespace ${namespace}`, async () => {
    await ctx.core.deleteNamespace({ name: namespace });
  });
  const service = await ctx.core.createNamespacedService({
    namespace,
    body: {
      metadata: { name: 'other-ns-svc', namespace, labels: { ...ctx.labels } },
      spec: {
        selector: { app: 'no-such-pod' },
        ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
      },
    },
  });
  return { namespace, service };
}

/** Starts the pods and Services in the order the checks rely on. */
export async function setUpEnvVars(ctx: SuiteContext): Promise<EnvVarsFixtures> {
  const before = await startPod(ctx, busyboxPod(ctx, 'env-before'));
  const nothing = { app: 'no-such-pod' };
  const [webFront, cache, other, kubernetes] = await Promise.all([
    createService(ctx, {
      metadata: { name: 'web-front' },
      spec: {
        selector: nothing,
        ports: [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'metrics-port', port: 9100, protocol: 'TCP' },
          { name: 'dns-udp', port: 5353, protocol: 'UDP' },
        ],
      },
    }),
    createService(ctx, {
      metadata: { name: 'cache' },
      spec: { selector: nothing, ports: [{ port: 6379, protocol: 'TCP' }] },
    }),
    createOtherNamespaceService(ctx),
    ctx.core.readNamespacedService({ name: 'kubernetes', namespace: 'default' }),
  ]);
  const [after, noLinks] = await Promise.all([
    startPod(ctx, busyboxPod(ctx, 'env-after')),
    startPod(ctx, busyboxPod(ctx, 'env-no-links', false)),
  ]);
  return {
    before,
    after,
    noLinks,
    services: [webFront, cache],
    otherService: other.service,
    otherNamespace: other.namespace,
    kubernetes,
  };
}

/** Runs `env` in a fixture pod, records it, and returns the parsed variables. */
export async function readEnv(
  ctx: SuiteContext,
  pod: V1Pod,
  evidence: Evidence,
): Promise<Map<string, string>> {
  const name = pod.metadata?.name ?? '';
  const result = evidence.probe(`env in ${name}`, await ctx.exec(name, 'busybox', ['env']));
  if (result.exitCode !== 0) {
    throw new Error(`env in pod ${name} exited ${result.exitCode ?? 'without status'}`);
  }
  return parseEnv(result.stdout);
}
