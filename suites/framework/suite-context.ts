/**
 * The typed context every check receives: API clients, the run, the suite's own namespace, the
 * cleanup stack and an exec helper. Each suite gets a fresh namespace labelled with the run, so
 * suites (and two runs at once) never see each other's objects.
 */
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig } from '@kubernetes/client-node';
import { CleanupStack } from '../../helpers/cleanup.ts';
import {
  apiServerExec,
  execInPod,
  type ExecTarget,
  type ExecTransport,
} from '../../helpers/pod-exec.ts';
import type { DockerEndpoint } from '../../helpers/docker.ts';
import { poll } from '../../helpers/poll.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import type { RunSettings } from '../../helpers/run-description.ts';
import {
  runAnnotations,
  runLabels,
  runScopedName,
  type RunIdentity,
} from '../../helpers/run-id.ts';
import { suiteEnvironment } from './environment.ts';
import { fixtureImages, type FixtureImage } from './images.ts';

/** Everything a check may use. */
export interface SuiteContext {
  readonly area: string;
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly discovery: DiscoveryV1Api;
  readonly run: RunIdentity;
  /** The kind profile, or "existing". */
  readonly profile: string;
  /** The run's settings (run description). */
  readonly settings: RunSettings;
  /** The run's one Docker engine, for hosts outside the cluster. */
  readonly docker: DockerEndpoint;
  /** This suite's namespace (created by {@link openSuite}). */
  readonly namespace: string;
  /** Fixture image references, mirror and overrides applied. */
  readonly images: Readonly<Record<FixtureImage, string>>;
  /** Labels every object of this run carries. */
  readonly labels: Readonly<Record<string, string>>;
  /** Removals, run in reverse order when the suite ends. */
  readonly cleanup: CleanupStack;
  /** Runs a command in a container of a pod of this namespace. */
  exec(
    pod: string,
    container: string,
    command: readonly string[],
    budgetMs?: number,
  ): Promise<ProbeResult>;
  /** Runs a command in a container of any pod (kube-system reads, for example). */
  execIn(target: ExecTarget, command: readonly string[], budgetMs?: number): Promise<ProbeResult>;
  /** A line for the run's log (kept quiet unless the run is verbose). */
  log(line: string): void;
}

/** The namespace of `area` in `run`: `knc-<area>-<run suffix>`. */
export function areaNamespace(run: RunIdentity, area: string): string {
  return runScopedName(run, `knc-${area}`);
}

/**
 * Creates the suite's namespace (name `knc-<area>-<run suffix>`, with the run's labels and owner
 * annotations) and registers its deletion; resolves once the namespace's default ServiceAccount
 * exists, so pods can be created at once.
 */
export async function openSuite(area: string): Promise<SuiteContext> {
  const env = suiteEnvironment();
  const kc = env.kubeConfig;
  const core = kc.makeApiClient(CoreV1Api);
  const cleanup = new CleanupStack();
  const labels = runLabels(env.run);
  const namespace = areaNamespace(env.run, area);
  await core.createNamespace({
    body: {
      metadata: {
        name: namespace,
        labels: { ...labels, 'kube-netconform/area': area },
        annotations: runAnnotations(env.run),
      },
    },
  });
  cleanup.defer(`namespace ${namespace}`, async () => {
    await core.deleteNamespace({ name: namespace });
  });
  await poll({
    what: `the default ServiceAccount of namespace ${namespace}`,
    deadline: 'namespaceReady',
    attempt: async () => {
      const list = await core.listNamespacedServiceAccount({ namespace });
      return {
        done: list.items.some((sa) => sa.metadata?.name === 'default'),
        state: list.items.length,
      };
    },
  });
  const transport: ExecTransport = apiServerExec(kc);
  const verbose = env.description.settings.verbose;
  const log = (line: string): void => {
    if (verbose) process.stderr.write(`[${area}] ${line}\n`);
  };
  return {
    area,
    kubeConfig: kc,
    core,
    apps: kc.makeApiClient(AppsV1Api),
    discovery: kc.makeApiClient(DiscoveryV1Api),
    run: env.run,
    profile: env.profile,
    settings: env.description.settings,
    docker: env.description.docker,
    namespace,
    images: fixtureImages(env.description.settings),
    labels,
    cleanup,
    exec: (pod, container, command, budgetMs) =>
      execInPod(transport, { namespace, pod, container }, command, {
        log,
        ...(budgetMs === undefined ? {} : { budgetMs }),
      }),
    execIn: (target, command, budgetMs) =>
      execInPod(transport, target, command, {
        log,
        ...(budgetMs === undefined ? {} : { budgetMs }),
      }),
    log,
  };
}
