/**
 * `netconform run`: the main job. Uses an existing cluster (--kubeconfig, --context or KUBECONFIG:
 * cli/cluster-target.ts) or creates a kind cluster of a profile, runs the selected suites against
 * it with jest, and exits 0 when every applicable check passed, 1 when a check failed, 2 for usage
 * or set-up errors. The report directory is checked before anything else and cleared only right
 * before the suites (reports/report-dir.ts), so a run that fails to start keeps the last reports.
 * A run ended by SIGINT or SIGTERM (exit 130, 143) or by its --timeout (exit 1) stops jest, then
 * writes the reports of the checks that finished, the others marked not run with the reason, and
 * only then removes what it created.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CoreV1Api } from '@kubernetes/client-node';
import { join, resolve } from 'node:path';
import { clusterUp } from '../../clusters/cluster.ts';
import { readState } from '../../clusters/cluster-state.ts';
import { repoRoot } from '../../clusters/paths.ts';
import { defaultClusterName, profileNames, type ProfileName } from '../../clusters/profiles.ts';
import { CleanupStack, cleanupOnSignals } from '../../helpers/cleanup.ts';
import { dockerEndpointOf, resolveDockerEndpoint } from '../../helpers/docker.ts';
import { ExitCode, messageOf } from '../../helpers/errors.ts';
import { checkApiReachable, kubeconfigPath, loadKubeConfig } from '../../helpers/kubeconfig.ts';
import { verifyNothingLeft, type LeftoverScope } from '../../helpers/leftovers.ts';
import {
  processAlive,
  reapContainers,
  reapNamespaces,
  removeRunObjects,
} from '../../helpers/reaper.ts';
import {
  runDescriptionVariable,
  runDescriptionVersion,
  writeRunDescription,
  type RunDescription,
  type RunSettings,
} from '../../helpers/run-description.ts';
import { newRun, runScopedName } from '../../helpers/run-id.ts';
import { timeout, timeoutScale } from '../../helpers/timeouts.ts';
import { notSelectedReason, testNameOf, type CatalogEntry } from '../../reports/catalog.ts';
import {
  clearPreviousResults,
  interruptedGenerateBudgetMs,
  prepareReports,
  writeReports,
} from '../../reports/generate.ts';
import { reportMarker } from '../../reports/report-dir.ts';
import { parseExternalTarget } from '../../suites/externalname/fixtures.ts';
import {
  durationFlag,
  helpText,
  listFlag,
  numberFlag,
  parseCommand,
  stringFlag,
  type CommandSpec,
} from '../args.ts';
import { checkCatalog, resolveSelection, type Selection } from '../checks-catalog.ts';
import { clusterTarget } from '../cluster-target.ts';
import { progress, program } from '../program.ts';
import { suiteAreas } from '../suites.ts';
import { UsageError } from '../usage-error.ts';

/** Flags of `run`. */
export const runSpec: CommandSpec = {
  name: 'run',
  summary:
    'Run the conformance suites against an existing cluster (--kubeconfig, --context or $KUBECONFIG, as kubectl finds it) or a kind cluster it creates (--profile; the default when nothing names a cluster: iptables).',
  flags: {
    kubeconfig: {
      type: 'string',
      value: 'PATH',
      help: 'kubeconfig of an existing cluster (default: the first file of $KUBECONFIG that exists, else ~/.kube/config)',
    },
    context: { type: 'string', value: 'NAME', help: 'context of the kubeconfig to use' },
    profile: {
      type: 'string',
      value: 'NAME',
      help: `create a kind cluster of this profile, even with $KUBECONFIG set: ${profileNames.join(', ')}`,
    },
    'keep-cluster': { type: 'boolean', help: 'keep the kind cluster after the run' },
    reuse: {
      type: 'boolean',
      help: 'use the kind cluster of the profile made by an earlier run (and keep it)',
    },
    offline: { type: 'boolean', help: 'build every image locally even if a registry is reachable' },
    suites: {
      type: 'string',
      value: 'LIST',
      multiple: true,
      help: `run only these areas or check ids (comma-separated; \`${program} list\` shows them)`,
    },
    skip: {
      type: 'string',
      value: 'LIST',
      multiple: true,
      help: 'skip these areas or check ids (comma-separated)',
    },
    'image-mirror': {
      type: 'string',
      value: 'PREFIX',
      help: 'pull the fixture images through this registry prefix (PREFIX/<image>)',
    },
    'image-overrides': {
      type: 'string',
      value: 'FILE',
      help: `JSON file of {"<key>": "<image>"} replacing fixture images; keys: ${imageKeys().join(', ')}`,
    },
    'external-target': {
      type: 'string',
      value: 'NAME[:PORT]',
      help: "plain-HTTP server for the externalname area, a name the cluster's DNS forwards upstream (default on kind: a container it starts, named by Docker's DNS)",
    },
    'nodes-network': {
      type: 'string',
      value: 'NAME',
      help: "the Docker network of the cluster's nodes, where hosts outside the cluster are started (default kind; the Docker engine is DOCKER_HOST's, else the default socket)",
    },
    parallel: {
      type: 'string',
      value: 'N',
      help: 'run up to N areas at the same time (default: jest picks by CPU count)',
    },
    timeout: {
      type: 'string',
      value: 'DURATION',
      help: 'end the run like SIGTERM once DURATION (e.g. 90s, 30m, 1.5h) has passed: the checks that finished are reported, the others marked not run; exit 1',
    },
    'timeout-scale': {
      type: 'string',
      value: 'N',
      help: 'multiply every deadline by N (slow clusters)',
    },
    'report-dir': {
      type: 'string',
      value: 'DIR',
      help: `where reports are written (default reports/out in the current directory): a new or empty directory, or one a run wrote (marked by ${reportMarker}); a run that fails to start leaves it as it was`,
    },
  },
  examples: [
    `${program} run --profile nftables                       # a new kind cluster, kube-proxy in nftables mode`,
    `${program} run --context my-cluster --suites dns        # an existing cluster, one area`,
    `KUBECONFIG=~/lab.kubeconfig ${program} run --report-dir /tmp/knc  # the cluster KUBECONFIG names`,
  ],
  environment: {
    KUBECONFIG:
      'kubeconfig file(s), colon-separated (the first that exists is used); set, it names the cluster to test',
    KNC_TIMEOUT_SCALE: 'like --timeout-scale',
    KNC_CACHE_DIR:
      'where toolchain, images and cluster records are kept (default $XDG_CACHE_HOME/kube-netconform or ~/.cache/kube-netconform)',
    DOCKER_HOST:
      'the Docker engine for kind nodes and the containers outside the cluster (default: the default socket); one that does not answer stops the run',
    JAVA_HOME: 'the Java runtime for the HTML report (default: java on the PATH)',
    KNC_CHROMIUM: 'the Chromium binary for the report checks in the browser',
    KNC_VERBOSE: '1: the suites log every step',
    KNC_DEBUG: '1: stack traces with errors',
  },
};

/** Runs `run`; returns the exit code. */
export async function runCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseCommand(program, runSpec, argv);
  if (parsed.help) {
    console.log(helpText(program, runSpec));
    return ExitCode.Passed;
  }
  const f = parsed.flags;
  const selection = await resolveSelection(
    listFlag(f, 'suites'),
    listFlag(f, 'skip'),
    suiteAreas(),
    checkCatalog,
  );
  const chosen = selection.areas;
  const runTimeoutMs = durationFlag(f, 'timeout');
  const scale = numberFlag(f, 'timeout-scale');
  if (scale !== undefined) process.env.KNC_TIMEOUT_SCALE = String(scale);
  const parallel = numberFlag(f, 'parallel');
  if (parallel !== undefined && !Number.isInteger(parallel))
    throw new UsageError(
      `--parallel must be a whole number, got ${parallel}`,
      'pass e.g. --parallel 2',
    );
  const settings: Mutable<Omit<RunSettings, 'kubeconfig' | 'context' | 'profile' | 'reportDir'>> = {
    nodesNetwork: stringFlag(f, 'nodes-network') ?? 'kind',
    verbose: process.env.KNC_VERBOSE === '1',
  };
  const mirror = stringFlag(f, 'image-mirror');
  if (mirror !== undefined) {
    if (mirror.trim() === '' || /\s|:\/\//.test(mirror))
      throw new UsageError(
        `--image-mirror "${mirror}" is not a registry prefix`,
        'give a <host>[:<port>][/<path>] prefix without a scheme; images are pulled as PREFIX/<image>',
      );
    settings.imageMirror = mirror;
  }
  const overrides = stringFlag(f, 'image-overrides');
  if (overrides !== undefined) settings.imageOverrides = validateImageOverrides(overrides);
  const target = stringFlag(f, 'external-target');
  if (target !== undefined) {
    try {
      parseExternalTarget(target);
    } catch {
      throw new UsageError(
        `--external-target "${target}" is not a DNS name with an optional port`,
        `give a name such as web.example.org or web.example.org:8080 (a server answering plain HTTP)`,
      );
    }
    settings.externalTarget = target;
  }
  if (selection.checks !== undefined) settings.checks = selection.checks;
  const cluster = clusterTarget({
    kubeconfig: stringFlag(f, 'kubeconfig'),
    context: stringFlag(f, 'context'),
    profile: stringFlag(f, 'profile'),
    kindFlags: (['reuse', 'keep-cluster', 'offline'] as const).filter((k) => f[k] === true),
  });
  timeoutScale();
  const startedAt = Date.now();
  const log = progress(performance.now());
  const reportDir = resolve(stringFlag(f, 'report-dir') ?? join('reports', 'out'));
  await prepareReports(reportDir);
  const run = newRun();
  const cleanup = new CleanupStack({ log });
  // Why the run ended early, once a signal or the --timeout came; the reports name it.
  let interrupted: string | undefined;
  const removeHandlers = cleanupOnSignals(cleanup, console.error, {
    onInterrupt: (cause) => {
      interrupted =
        cause === 'timeout'
          ? `the run's --timeout of ${stringFlag(f, 'timeout') ?? ''} passed`
          : `the run was interrupted by ${cause} after ${Math.round((Date.now() - startedAt) / 1000)} s`;
    },
    ...(runTimeoutMs === undefined
      ? {}
      : { deadline: { ms: runTimeoutMs, code: ExitCode.ChecksFailed } }),
  });
  let verdict: number;
  let cleanupFailed = false;
  let leftovers: LeftoverScope | undefined;
  let ownCluster: LeftoverScope['cluster'];
  // Registered first, so it runs last, after every removal, on success, failure and signals.
  cleanup.defer(
    'nothing of the run is left',
    async () => {
      if (leftovers !== undefined)
        log(await verifyNothingLeft(leftovers, leftovers.kubeConfig.makeApiClient(CoreV1Api)));
    },
    2 * timeout('namespaceDeleted') + timeout('cleanupStep'),
  );
  try {
    let kubeconfig: string;
    let context: string;
    let profile: ProfileName | 'existing' = 'existing';
    if (cluster.kind === 'existing') {
      const kc = loadKubeConfig(cluster.source);
      kubeconfig = kubeconfigPath(cluster.source);
      context = kc.getCurrentContext();
      const info = await checkApiReachable(kc);
      log(
        `cluster ${info.server} (Kubernetes ${info.gitVersion}), context ${context} of ${kubeconfig}`,
      );
    } else {
      profile = cluster.profile;
      // --reuse and --keep-cluster work on the profile's standing cluster (the one `cluster up`
      // makes); otherwise the run gets a cluster of its own, removed when the run ends.
      const reuse = f.reuse === true;
      const keep = f['keep-cluster'] === true || reuse;
      const standing = defaultClusterName(profile);
      if (reuse && readState(standing) === undefined) {
        throw new UsageError(
          `--reuse: there is no ${profile} cluster (${standing}) made by an earlier run`,
          `create one with \`${program} cluster up --profile ${profile}\`, or drop --reuse`,
        );
      }
      if (!reuse && keep && readState(standing) !== undefined) {
        throw new UsageError(
          `--keep-cluster: a ${profile} cluster (${standing}) made by an earlier run exists`,
          `pass --reuse to run against it, or remove it with \`${program} cluster down --profile ${profile}\``,
        );
      }
      const name = keep ? standing : runScopedName(run, standing);
      const hostEngine = dockerEndpointOf();
      const state = await clusterUp({
        profile,
        name,
        log,
        ...(f.offline === true ? { offline: true } : {}),
        ...(keep ? {} : { cleanup }),
      });
      kubeconfig = state.kubeconfig;
      context = state.context;
      if (!keep)
        ownCluster = {
          name,
          docker: hostEngine,
          ...(state.guest === undefined ? {} : { inGuest: true }),
        };
      const server = loadKubeConfig({ kubeconfig, context }).getCurrentCluster()?.server ?? '?';
      log(`cluster ${server}, context ${context} of ${kubeconfig} (kind cluster ${name})`);
      if (state.guest !== undefined) {
        // The IPVS lane: the nodes' Docker network is inside the guest, so containers outside the
        // cluster (testcontainers) and the reaper talk to the guest's Docker engine.
        process.env.DOCKER_HOST = state.guest.dockerHost;
        process.env.KNC_TIMEOUT_SCALE ??= String(state.guest.timeoutScale);
      }
    }
    // The one Docker engine of the run: every container is created, listed and removed there.
    const docker = await resolveDockerEndpoint();
    log(
      docker.unavailable === undefined
        ? `docker ${docker.host} (${docker.source})`
        : `docker: ${docker.unavailable}; hosts outside the cluster cannot be started`,
    );
    const description: RunDescription = {
      version: runDescriptionVersion,
      run,
      settings: { ...settings, kubeconfig, context, profile, reportDir },
      docker,
    };
    clearPreviousResults(reportDir);
    const descriptionFile = join(reportDir, 'run.json');
    writeRunDescription(descriptionFile, description);
    leftovers = {
      ...(ownCluster === undefined ? {} : { cluster: ownCluster }),
      runId: run.id,
      kubeConfig: loadKubeConfig({ kubeconfig, context }),
      kubectlFlags: `--kubeconfig ${kubeconfig} --context ${context}`,
      docker,
    };
    await prepareRun(description, cleanup, log);
    log(
      `run ${run.id}: suites ${chosen.join(', ')}${selection.checks === undefined ? '' : ` (checks ${selection.checks.join(', ')})`}`,
    );
    // Written once: after jest, or, when the run is interrupted, by the cleanup step below, which
    // runs right after jest was stopped and before anything is removed. Without jest's results
    // (stopped, or it crashed) the checks that exist complete the ones that finished.
    let reports: Promise<unknown> | undefined;
    const jestResults = join(reportDir, 'jest-results.json');
    const report = (): Promise<unknown> =>
      (reports ??= (async () =>
        writeReports({
          reportDir,
          kubeConfig: loadKubeConfig({ kubeconfig, context }),
          profile,
          runId: run.id,
          log,
          ...(interrupted === undefined ? {} : { interrupted }),
          ...(interrupted === undefined && existsSync(jestResults)
            ? {}
            : { declared: await declaredChecks(selection) }),
        }))());
    cleanup.defer(
      'the reports, when the run was interrupted',
      async () => {
        if (interrupted !== undefined) await report();
      },
      2 * interruptedGenerateBudgetMs + timeout('cleanupStep'),
    );
    const jestOptions = { parallel, tty: process.stdout.isTTY };
    const code = await runJest(chosen, jestResults, cleanup, jestOptions, {
      [runDescriptionVariable]: descriptionFile,
      KNC_PROGRESS_START: String(startedAt),
      KNC_REPORT_DIR: reportDir,
    });
    await report();
    verdict = code === 0 ? ExitCode.Passed : ExitCode.ChecksFailed;
  } finally {
    try {
      await cleanup.runAll();
    } catch (error) {
      // Something the run created could not be removed: say so loudly and exit 2 (the machine
      // or cluster needs attention), whatever the checks said.
      log(messageOf(error));
      log('fix: remove what is listed above by hand, or run `netconform clean --all`');
      cleanupFailed = true;
    }
    removeHandlers();
  }
  return cleanupFailed ? ExitCode.SetupError : verdict;
}

/** A writable copy of a settings object while the command line fills it. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Before the suites: removes what crashed earlier runs left (the reaper) and registers the removal
 * of everything this run will create, by its run label, as the last cleanup step.
 */
async function prepareRun(
  description: RunDescription,
  cleanup: CleanupStack,
  log: (line: string) => void,
): Promise<void> {
  const { settings, docker, run } = description;
  const kc = loadKubeConfig({ kubeconfig: settings.kubeconfig, context: settings.context });
  const core = kc.makeApiClient(CoreV1Api);
  const ctx = { host: hostname(), now: new Date(), isAlive: processAlive };
  const reaped = [
    ...(await reapContainers(docker, ctx)),
    ...(await reapNamespaces(core, ctx)),
  ].filter((o) => o.verdict.stale);
  for (const o of reaped)
    log(`removed ${o.kind} ${o.name} left by run ${o.run ?? '?'} (${o.verdict.reason})`);
  cleanup.defer(`objects of run ${run.id}`, async () => {
    const removed = await removeRunObjects(core, docker, run.id);
    if (removed.length > 0) log(`removed what the suites left: ${removed.join(', ')}`);
  });
}

/** The checks of the run's areas as catalog entries, those left out by check ids skipped. */
async function declaredChecks(selection: Selection): Promise<CatalogEntry[]> {
  return (await checkCatalog())
    .filter((c) => selection.areas.includes(c.area))
    .map(({ id, area, title }) => {
      const skipReason =
        selection.checks === undefined || selection.checks.includes(id)
          ? undefined
          : notSelectedReason;
      const testName = testNameOf(title, skipReason);
      return { id, area, title, testName, ...(skipReason === undefined ? {} : { skipReason }) };
    });
}

/** The keys of the fixture images (clusters/fixtures/images.json). */
function imageKeys(): string[] {
  const pinned = JSON.parse(
    readFileSync(join(repoRoot, 'clusters', 'fixtures', 'images.json'), 'utf8'),
  ) as Record<string, string>;
  return Object.keys(pinned);
}

/**
 * Checks an --image-overrides file: a JSON object whose keys are fixture image keys and whose
 * values are image references. Returns its absolute path.
 * @throws {UsageError} naming what is wrong and the valid keys.
 */
export function validateImageOverrides(file: string): string {
  const path = resolve(file);
  const keys = imageKeys();
  const fix = `write a JSON object such as {"nginx": "<registry>/nginx:1.27.3"}; valid keys: ${keys.join(', ')}`;
  if (!existsSync(path)) throw new UsageError(`--image-overrides: no file ${path}`, fix);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--image-overrides: ${path} is not JSON (${messageOf(error)})`, fix);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new UsageError(`--image-overrides: ${path} is not a JSON object`, fix);
  for (const [key, value] of Object.entries(data)) {
    if (!keys.includes(key))
      throw new UsageError(`--image-overrides: unknown image key "${key}" in ${path}`, fix);
    if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value))
      throw new UsageError(
        `--image-overrides: the image of "${key}" in ${path} is not an image reference`,
        fix,
      );
  }
  return path;
}

/** How jest runs the suites. */
interface JestOptions {
  /** jest --maxWorkers: how many suite files run at once. */
  readonly parallel: number | undefined;
  /** Output is a terminal: jest's default reporter too, and a line as each check starts. */
  readonly tty: boolean;
}

/** Runs the conformance jest project for `areas` with `env`; resolves to jest's exit code. */
function runJest(
  areas: readonly string[],
  resultsFile: string,
  cleanup: CleanupStack,
  options: JestOptions,
  env: Record<string, string>,
): Promise<number> {
  const pattern = `suites/(${areas.join('|')})/`;
  // One line per check from our reporter; on a terminal jest's own reporter as well, elsewhere
  // (CI logs) jest's summary reporter, which prints every failure in full at the end.
  const reporters = [
    ...(options.tty ? ['--reporters', 'default'] : ['--reporters', 'summary']),
    '--reporters',
    join(repoRoot, 'cli', 'jest-progress-reporter.ts'),
  ];
  const child = spawn(
    join(repoRoot, 'scripts', 'node24'),
    [
      join(repoRoot, 'scripts', 'jest.ts'),
      '--selectProjects',
      'conformance',
      '--testPathPatterns',
      pattern,
      '--json',
      '--outputFile',
      resultsFile,
      // Every area's afterAll has run its cleanup by then; a set-up that failed half-way may leave
      // a poll of a sibling fixture running until its deadline, which would hold the run.
      '--forceExit',
      ...reporters,
      ...(options.parallel === undefined ? [] : ['--maxWorkers', String(options.parallel)]),
    ],
    {
      // A process group of its own (detached), so that stopping the suites stops every process
      // of them: the launcher, jest, its workers and the commands they run.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env, ...(options.tty ? { KNC_PROGRESS_STARTED: '1' } : {}) },
      cwd: repoRoot,
    },
  );
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code) => {
      resolve(code ?? ExitCode.ChecksFailed);
    });
  });
  // On SIGINT/SIGTERM the suites are stopped first; their objects are removed by label next. The
  // whole group: SIGTERM to the launcher alone would leave jest and its workers running on.
  cleanup.defer('suite processes', async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  });
  return exited;
}
