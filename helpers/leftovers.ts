/**
 * After a run's cleanup: what of the run is still there, found by its labels, each with the
 * command that removes it. A cleanup step that returned without error is not proof that its
 * object is gone (an engine that answered another way, a namespace stuck on a finalizer), so the
 * run looks again and exits 2 when anything of it is left, even when every check passed.
 *
 * Looked for: the run's namespaces (waited for while they terminate, up to namespaceDeleted),
 * its containers and networks in the run's Docker engine, and, when the run created a kind cluster
 * for itself and removed it, that cluster's node containers instead of its namespaces. The suites create no cluster-scoped objects (the runner's
 * role, docs/rbac.md, allows none); a kind of object the tool starts creating is added here.
 */
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { dockerChecked, type DockerEndpoint } from './docker.ts';
import { messageOf } from './errors.ts';
import { poll, PollTimeoutError } from './poll.ts';
import { removeRunObjects, runContainers } from './reaper.ts';
import { RunKeys } from './run-id.ts';

/** One thing of the run that is still there. */
export interface Leftover {
  /** "namespace knc-dns-1a2b3c", "container knc-nodeport-1a2b3c-outside-client". */
  readonly what: string;
  /** The command that removes it (or, when it could not be looked at, the one that shows it). */
  readonly remove: string;
}

/** Where to look. */
export interface LeftoverScope {
  readonly runId: string;
  readonly kubeConfig: KubeConfig;
  /** kubectl's flags for the same cluster: `--kubeconfig K --context C`. */
  readonly kubectlFlags: string;
  readonly docker: DockerEndpoint;
  /**
   * A kind cluster the run created and removed, and the engine its nodes ran on; `inGuest` when
   * it ran in the IPVS lane's guest VM, whose removal took the nodes and the run's engine with it.
   */
  readonly cluster?: {
    readonly name: string;
    readonly docker: DockerEndpoint;
    readonly inGuest?: boolean;
  };
}

function nameOf(item: unknown): string {
  return (item as { metadata?: { name?: string } }).metadata?.name ?? '?';
}

/** Namespaces of the run still there once those terminating are gone (or the deadline passed). */
async function namespacesLeft(core: CoreV1Api, selector: string): Promise<string[]> {
  const names = async (): Promise<string[]> =>
    (await core.listNamespace({ labelSelector: selector })).items.map(nameOf);
  try {
    await poll({
      what: 'the namespaces of the run deleted',
      deadline: 'namespaceDeleted',
      intervalMs: 1000,
      attempt: async () => {
        const left = await names();
        return { done: left.length === 0, state: left, summary: left.join(', ') };
      },
    });
    return [];
  } catch (error) {
    if (error instanceof PollTimeoutError) return names();
    throw error;
  }
}

/**
 * Looks for everything of the run (see the file comment). What could not be looked at is a
 * leftover too, with the command that shows it: "nothing left" is said only when it was seen.
 */
export async function findLeftovers(
  scope: LeftoverScope,
  core: CoreV1Api,
): Promise<readonly Leftover[]> {
  const selector = `${RunKeys.run}=${scope.runId}`;
  const kubectl = `kubectl ${scope.kubectlFlags}`;
  const left: Leftover[] = [];
  const unchecked = (what: string, error: unknown, show: string): void => {
    left.push({
      what: `${what} (not checked: ${messageOf(error).split('\n')[0] ?? ''})`,
      remove: show,
    });
  };
  // A kind cluster the run made for itself was removed with its namespaces; its nodes are looked
  // for instead (below).
  if (scope.cluster === undefined) {
    try {
      for (const ns of await namespacesLeft(core, selector))
        left.push({ what: `namespace ${ns}`, remove: `${kubectl} delete namespace ${ns}` });
    } catch (error) {
      unchecked('namespaces', error, `${kubectl} get namespaces -l ${selector}`);
    }
  }
  if (scope.cluster?.inGuest === true) return left;
  left.push(...(await dockerLeftovers(scope.docker, selector, scope.runId)));
  if (scope.cluster !== undefined)
    left.push(...(await kindNodesLeft(scope.cluster.name, scope.cluster.docker)));
  return left;
}

async function dockerLeftovers(
  endpoint: DockerEndpoint,
  selector: string,
  runId: string,
): Promise<Leftover[]> {
  if (endpoint.unavailable !== undefined) return [];
  const cli = `docker --host ${endpoint.host}`;
  const left: Leftover[] = [];
  try {
    for (const name of await runContainers(endpoint, runId))
      left.push({ what: `container ${name}`, remove: `${cli} rm -f -v ${name}` });
  } catch (error) {
    left.push({
      what: `containers in ${endpoint.host} (not checked: ${messageOf(error).split('\n')[0] ?? ''})`,
      remove: `${cli} ps -a --filter label=${selector}`,
    });
  }
  try {
    const r = await dockerChecked(endpoint, [
      'network',
      'ls',
      '--filter',
      `label=${selector}`,
      '--format',
      '{{.Name}}',
    ]);
    for (const name of r.stdout.split('\n').filter((l) => l.trim() !== ''))
      left.push({ what: `network ${name}`, remove: `${cli} network rm ${name}` });
  } catch (error) {
    left.push({
      what: `networks in ${endpoint.host} (not checked: ${messageOf(error).split('\n')[0] ?? ''})`,
      remove: `${cli} network ls --filter label=${selector}`,
    });
  }
  return left;
}

async function kindNodesLeft(name: string, endpoint: DockerEndpoint): Promise<Leftover[]> {
  const cli = `docker --host ${endpoint.host}`;
  const filter = `label=io.x-k8s.kind.cluster=${name}`;
  try {
    const r = await dockerChecked(endpoint, [
      'ps',
      '-a',
      '--filter',
      filter,
      '--format',
      '{{.Names}}',
    ]);
    return r.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((node) => ({
        what: `kind node container ${node} of cluster ${name}`,
        remove: `netconform cluster down --cluster-name ${name} (or ${cli} rm -f -v ${node})`,
      }));
  } catch (error) {
    return [
      {
        what: `the nodes of cluster ${name} (not checked: ${messageOf(error).split('\n')[0] ?? ''})`,
        remove: `${cli} ps -a --filter ${filter}`,
      },
    ];
  }
}

/**
 * The last cleanup step of a run: looks for what is left; when something is, removes the run's
 * namespaces and containers by label once more (a container whose create request reached the
 * engine as its suite process was killed appears after the first removal) and looks again.
 * Returns the line to log when nothing is left.
 * @throws {Error} naming each thing still there with the command that removes it.
 */
export async function verifyNothingLeft(scope: LeftoverScope, core: CoreV1Api): Promise<string> {
  let left = await findLeftovers(scope, core);
  if (left.length > 0) {
    await removeRunObjects(core, scope.docker, scope.runId).catch(() => undefined);
    left = await findLeftovers(scope, core);
  }
  if (left.length > 0) throw new Error(renderLeftovers(scope.runId, left).join('\n'));
  const where =
    scope.cluster === undefined
      ? 'namespaces, containers, networks'
      : scope.cluster.inGuest === true
        ? `its cluster ${scope.cluster.name} went with the guest VM, nodes, namespaces and containers`
        : `the nodes of cluster ${scope.cluster.name}, containers, networks`;
  return `nothing of run ${scope.runId} is left (${where})`;
}

/** The lines a run prints when something of it is left. */
export function renderLeftovers(runId: string, left: readonly Leftover[]): string[] {
  return [
    `cleanup of run ${runId} left ${String(left.length)} thing(s) behind:`,
    ...left.map((l) => `  - ${l.what}: ${l.remove}`),
    `or remove everything of finished runs with \`netconform clean\``,
  ];
}
