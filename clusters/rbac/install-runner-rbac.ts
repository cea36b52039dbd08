/**
 * Installs the runner's RBAC manifest on a cluster for a test and registers its removal, as a
 * cluster admin. Each object gets the test run's label and owner annotations (helpers/run-id.ts)
 * on top of the manifest's own labels, so that a later test can tell the leftovers of a crashed
 * run (owner gone: removed first) from objects an administrator installed (left alone: the test
 * stops and says so). The run label, not the managed-by label: these objects are no run
 * namespaces, and the policy must not count the ServiceAccount's home as one of them.
 */
import { hostname } from 'node:os';
import {
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { isNotFound, type CleanupStack } from '../../helpers/cleanup.ts';
import { poll } from '../../helpers/poll.ts';
import { processAlive, staleness } from '../../helpers/reaper.ts';
import { RunKeys, runAnnotations, type RunIdentity } from '../../helpers/run-id.ts';
import { describeObject, type RunnerManifest } from './runner-manifest.ts';

/** What {@link installRunnerRbac} needs. */
export interface InstallOptions {
  /** An admin's kubeconfig, context selected. */
  readonly kubeConfig: KubeConfig;
  readonly manifest: RunnerManifest;
  /** The test's run: its id and owner go onto every object. */
  readonly run: RunIdentity;
  /** Receives the removal of every object created, right after its creation. */
  readonly cleanup: CleanupStack;
  readonly log: (line: string) => void;
}

/** The header the object API reads and deletes by. */
function header(o: KubernetesObject): KubernetesObject {
  return {
    apiVersion: o.apiVersion ?? '',
    kind: o.kind ?? '',
    metadata: {
      name: o.metadata?.name ?? '',
      ...(o.metadata?.namespace === undefined ? {} : { namespace: o.metadata.namespace }),
    },
  };
}

async function readOrUndefined(
  api: KubernetesObjectApi,
  o: KubernetesObject,
): Promise<(KubernetesObject & { status?: { phase?: string } }) | undefined> {
  try {
    return await api.read(
      header(o) as { apiVersion: string; kind: string; metadata: { name: string } },
    );
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Deletes an object and waits until it is gone (a namespace passes through Terminating). */
async function removeAndWait(api: KubernetesObjectApi, o: KubernetesObject): Promise<void> {
  try {
    await api.delete(header(o));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await poll({
    what: `${describeObject(o)} deleted`,
    deadline: 'namespaceDeleted',
    attempt: async () => {
      const left = await readOrUndefined(api, o);
      return { done: left === undefined, state: left?.status?.phase ?? 'present' };
    },
  });
}

/**
 * Removes what a crashed test left, then creates every object of the manifest in order.
 * @throws {Error} when an object of the manifest exists and is not a leftover of a test (an
 * administrator's installation, or a test that is still running).
 */
export async function installRunnerRbac(options: InstallOptions): Promise<void> {
  const { kubeConfig, manifest, run, cleanup, log } = options;
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  const ctx = { host: hostname(), now: new Date(), isAlive: processAlive };
  for (const o of manifest.objects) {
    const existing = await readOrUndefined(api, o);
    if (existing === undefined) continue;
    const labels = existing.metadata?.labels ?? {};
    const annotations = existing.metadata?.annotations ?? {};
    const runId = labels[RunKeys.run];
    if (runId === undefined)
      throw new Error(
        `${describeObject(o)} already exists and was not made by a test (installed by an administrator?); the test does not touch it: run it against another cluster, or remove the manifest's objects first`,
      );
    const verdict = staleness(
      {
        run: runId,
        host: annotations[RunKeys.host],
        pid: annotations[RunKeys.pid],
        startedAt: annotations[RunKeys.startedAt],
      },
      ctx,
    );
    if (!verdict.stale && existing.status?.phase !== 'Terminating')
      throw new Error(
        `${describeObject(o)} belongs to test run ${runId}, which is still running (${verdict.reason})`,
      );
    log(`removing ${describeObject(o)} left by test run ${runId} (${verdict.reason})`);
    await removeAndWait(api, o);
  }
  for (const o of manifest.objects) {
    await api.create({
      ...o,
      metadata: {
        ...o.metadata,
        labels: { ...o.metadata?.labels, [RunKeys.run]: run.id },
        annotations: { ...o.metadata?.annotations, ...runAnnotations(run) },
      },
    });
    cleanup.defer(describeObject(o), async () => {
      await api.delete(header(o));
    });
    log(`created ${describeObject(o)}`);
  }
}

/** The manifest's objects that exist on the cluster (a namespace being deleted counts as gone). */
export async function presentObjects(
  kubeConfig: KubeConfig,
  manifest: RunnerManifest,
): Promise<string[]> {
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  const present: string[] = [];
  for (const o of manifest.objects) {
    const found = await readOrUndefined(api, o);
    if (found !== undefined && found.status?.phase !== 'Terminating')
      present.push(describeObject(o));
  }
  return present;
}
