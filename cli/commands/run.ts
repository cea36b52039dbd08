/**
 * `netconform run`: the main job. Uses an existing cluster (--kubeconfig/--context) or creates a
 * kind cluster of a profile, runs the selected suites against it with jest, and exits 0 when every
 * applicable check passed, 1 when a check failed, 2 for usage or set-up errors.
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { CoreV1Api } from '@kubernetes/client-node';
import { join, resolve } from 'node:path';
import { clusterUp } from '../../clusters/cluster.ts';
import { readState } from '../../clusters/cluster-state.ts';
import { repoRoot } from '../../clusters/paths.ts';
import { defaultClusterName, profileNames, type ProfileName } from '../../clusters/profiles.ts';
import { CleanupStack, cleanupOnSignals } from '../../helpers/cleanup.ts';
import { ExitCode, messageOf } from '../../helpers/errors.ts';
import { checkApiReachable, kubeconfigPath, loadKubeConfig } from '../../helpers/kubeconfig.ts';
import {
  processAlive,
  reapContainers,
  reapNamespaces,
  removeRunObjects,
} from '../../helpers/reaper.ts';
import { newRun, runScopedName } from '../../helpers/run-id.ts';
import { prepareReports, writeReports } from '../../reports/generate.ts';
import {
  helpText,
  listFlag,
  numberFlag,
  oneOf,
  parseCommand,
  stringFlag,
  type CommandSpec,
} from '../args.ts';
import { progress, program } from '../program.ts';
import { suiteAreas } from '../suites.ts';
import { UsageError } from '../usage-error.ts';

/** Flags of `run`. */
export const runSpec: CommandSpec = {
  name: 'run',
  summary:
    'Run the conformance suites against an existing cluster (--kubeconfig/--context) or a kind cluster it creates (--profile, the default: iptables).',
  flags: {
    kubeconfig: {
      type: 'string',
      value: 'PATH',
      help: 'kubeconfig of an existing cluster (default $KUBECONFIG or ~/.kube/config when --context is given)',
    },
    context: { type: 'string', value: 'NAME', help: 'context of the kubeconfig to use' },
    profile: {
      type: 'string',
      value: 'NAME',
      help: `create a kind cluster of this profile: ${profileNames.join(', ')}`,
    },
    'keep-cluster': { type: 'boolean', help: 'keep the kind cluster after the run' },
    reuse: {
      type: 'boolean',
      help: 'use the kind cluster of the profile made by an earlier run (and keep it)',
    },
    offline: { type: 'boolean', help: 'build every image locally even if a registry is reachable' },
    suites: {
      type: 'string',
      value: 'AREAS',
      multiple: true,
      help: 'run only these areas (comma-separated)',
    },
    skip: {
      type: 'string',
      value: 'AREAS',
      multiple: true,
      help: 'skip these areas (comma-separated)',
    },
    'timeout-scale': {
      type: 'string',
      value: 'N',
      help: 'multiply every deadline by N (slow clusters)',
    },
    'report-dir': {
      type: 'string',
      value: 'DIR',
      help: 'where reports are written (default reports/out)',
    },
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
  const areas = suiteAreas();
  const selected = listFlag(f, 'suites').map((s) => oneOf('suite', s, areas));
  const skipped = listFlag(f, 'skip').map((s) => oneOf('suite', s, areas));
  const chosen = (selected.length > 0 ? selected : areas).filter((a) => !skipped.includes(a));
  if (chosen.length === 0)
    throw new UsageError(
      'no suite left to run after --suites/--skip',
      `choose among: ${areas.join(', ')}`,
    );
  const scale = numberFlag(f, 'timeout-scale');
  if (scale !== undefined) process.env.KNC_TIMEOUT_SCALE = String(scale);
  const kubeconfigFlag = stringFlag(f, 'kubeconfig');
  const contextFlag = stringFlag(f, 'context');
  const profileFlag = stringFlag(f, 'profile');
  const existingCluster = kubeconfigFlag !== undefined || contextFlag !== undefined;
  if (existingCluster && profileFlag !== undefined) {
    throw new UsageError(
      '--profile creates a kind cluster; it cannot be combined with --kubeconfig/--context',
      'use one or the other',
    );
  }
  const log = progress(performance.now());
  const reportDir = resolve(stringFlag(f, 'report-dir') ?? join(repoRoot, 'reports', 'out'));
  await prepareReports(reportDir);
  const run = newRun();
  const cleanup = new CleanupStack({ log });
  const removeHandlers = cleanupOnSignals(cleanup);
  try {
    let kubeconfig: string;
    let context: string;
    let profile: ProfileName | 'existing' = 'existing';
    if (existingCluster) {
      const kc = loadKubeConfig({
        ...(kubeconfigFlag === undefined ? {} : { kubeconfig: kubeconfigFlag }),
        ...(contextFlag === undefined ? {} : { context: contextFlag }),
      });
      const info = await checkApiReachable(kc);
      log(
        `cluster ${info.server} (Kubernetes ${info.gitVersion}), context ${kc.getCurrentContext()}`,
      );
      kubeconfig = kubeconfigPath({
        ...(kubeconfigFlag === undefined ? {} : { kubeconfig: kubeconfigFlag }),
      });
      context = kc.getCurrentContext();
    } else {
      profile = oneOf('profile', profileFlag ?? 'iptables', profileNames);
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
      const state = await clusterUp({
        profile,
        name,
        log,
        ...(f.offline === true ? { offline: true } : {}),
        ...(keep ? {} : { cleanup }),
      });
      kubeconfig = state.kubeconfig;
      context = state.context;
    }
    await prepareRun(kubeconfig, context, run.id, cleanup, log);
    log(`run ${run.id}: suites ${chosen.join(', ')}`);
    const code = await runJest(chosen, join(reportDir, 'jest-results.json'), cleanup, {
      KNC_KUBECONFIG: kubeconfig,
      KNC_CONTEXT: context,
      KNC_RUN_ID: run.id,
      KNC_PROFILE: profile,
      KNC_REPORT_DIR: reportDir,
    });
    await writeReports({
      reportDir,
      kubeConfig: loadKubeConfig({ kubeconfig, context }),
      profile,
      runId: run.id,
      log,
    });
    return code === 0 ? ExitCode.Passed : ExitCode.ChecksFailed;
  } finally {
    try {
      await cleanup.runAll();
    } catch (error) {
      log(messageOf(error));
    }
    removeHandlers();
  }
}

/**
 * Before the suites: removes what crashed earlier runs left (the reaper) and registers the removal
 * of everything this run will create, by its run label, as the last cleanup step.
 */
async function prepareRun(
  kubeconfig: string,
  context: string,
  runId: string,
  cleanup: CleanupStack,
  log: (line: string) => void,
): Promise<void> {
  const kc = loadKubeConfig({ kubeconfig, context });
  const core = kc.makeApiClient(CoreV1Api);
  const ctx = { host: hostname(), now: new Date(), isAlive: processAlive };
  const reaped = [...(await reapContainers(ctx)), ...(await reapNamespaces(core, ctx))].filter(
    (o) => o.verdict.stale,
  );
  for (const o of reaped)
    log(`removed ${o.kind} ${o.name} left by run ${o.run ?? '?'} (${o.verdict.reason})`);
  cleanup.defer(`objects of run ${runId}`, async () => {
    const removed = await removeRunObjects(core, runId);
    if (removed.length > 0) log(`removed what the suites left: ${removed.join(', ')}`);
  });
}

/** Runs the conformance jest project for `areas` with `env`; resolves to jest's exit code. */
function runJest(
  areas: readonly string[],
  resultsFile: string,
  cleanup: CleanupStack,
  env: Record<string, string>,
): Promise<number> {
  const pattern = `suites/(${areas.join('|')})/`;
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
    ],
    { stdio: 'inherit', env: { ...process.env, ...env }, cwd: repoRoot },
  );
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code) => {
      resolve(code ?? ExitCode.ChecksFailed);
    });
  });
  // On SIGINT/SIGTERM the suites are stopped first; their objects are removed by label next.
  cleanup.defer('suite processes', async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  return exited;
}
