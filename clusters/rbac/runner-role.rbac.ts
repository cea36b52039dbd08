// The runner's RBAC on a real cluster: clusters/rbac/kube-netconform-runner.yaml is applied (as
// the admin of KNC_RBAC_KUBECONFIG), a token of its ServiceAccount is requested (TokenRequest)
// and written into a kubeconfig, and then, as that ServiceAccount:
//  - `netconform run` of every area (or KNC_RBAC_SUITES) passes every applicable check, with no
//    check failed or skipped for a refused request and every fact of the report read;
//  - the API server's authorizer allows each access of the runner's list and refuses the
//    forbidden ones (SelfSubjectAccessReview);
//  - the admission policy refuses writes outside the run's namespaces (dry runs, an exec);
//  - once the objects are removed, the token is rejected and `run` says where to look
//    (docs/rbac.md).
// scripts/test.ts runs this as the iptables profile's conformance pass, on a cluster it makes;
// by hand: KNC_RBAC_KUBECONFIG=<admin kubeconfig> scripts/node24 scripts/jest.ts --selectProjects rbac
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { CleanupStack } from '../../helpers/cleanup.ts';
import { SetupError } from '../../helpers/errors.ts';
import { checkApiReachable, loadKubeConfig } from '../../helpers/kubeconfig.ts';
import { poll } from '../../helpers/poll.ts';
import { newRun, RunKeys } from '../../helpers/run-id.ts';
import { repoRoot } from '../paths.ts';
import { probeWrites, unexpected } from './admission-probes.ts';
import { reviewAccess, reviewPath } from './access-review.ts';
import { installRunnerRbac, presentObjects } from './install-runner-rbac.ts';
import {
  describeAccess,
  forbiddenAccess,
  requiredAccess,
  requiredPaths,
  type Access,
} from './runner-access.ts';
import { loadRunnerManifest } from './runner-manifest.ts';
import { permissionProblems, readSummary, runAsRunner } from './run-as-runner.ts';
import { requestToken, tokenKubeConfig, writeKubeConfig } from './service-account-kubeconfig.ts';

const env = process.env;
const manifest = loadRunnerManifest();
const sa = manifest.serviceAccount;
const policy =
  manifest.objects.find((o) => o.kind === 'ValidatingAdmissionPolicy')?.metadata?.name ?? '';
const reportDir = env.KNC_RBAC_REPORT_DIR ?? join(repoRoot, 'reports', 'out', 'rbac');
const createNamespaces: Access = {
  verb: 'create',
  group: '',
  resource: 'namespaces',
  scope: 'cluster',
  why: 'the bindings are in effect',
};
const log = (line: string): void => {
  process.stderr.write(`[rbac] ${line}\n`);
};

/** An admin's kubeconfig of the cluster under test. */
function adminKubeConfig(): KubeConfig {
  const kubeconfig = env.KNC_RBAC_KUBECONFIG;
  if (kubeconfig === undefined || kubeconfig === '')
    throw new Error(
      'KNC_RBAC_KUBECONFIG is not set: give the kubeconfig of a cluster admin (scripts/test.ts sets it to the cluster it made)',
    );
  const context = env.KNC_RBAC_CONTEXT;
  return loadKubeConfig({ kubeconfig, ...(context ? { context } : {}) });
}

describe('netconform run as the kube-netconform runner ServiceAccount', () => {
  const run = newRun();
  const cleanup = new CleanupStack({ log });
  const dir = mkdtempSync(join(tmpdir(), 'knc-rbac-'));
  const runnerFile = join(dir, 'runner.kubeconfig');
  let admin: KubeConfig;
  let runner: KubeConfig;

  beforeAll(async () => {
    admin = adminKubeConfig();
    await installRunnerRbac({ kubeConfig: admin, manifest, run, cleanup, log });
    runner = tokenKubeConfig(admin, sa, await requestToken(admin, sa, 2 * 3600));
    writeKubeConfig(runner, runnerFile);
    // The API server's RBAC and policy caches learn of the new objects within moments.
    const core = runner.makeApiClient(CoreV1Api);
    await poll({
      what: `the runner's bindings and admission policy in effect`,
      deadline: 'accessRulesInEffect',
      attempt: async () => {
        const rbac = await reviewAccess(runner, createNamespaces);
        const refused = await core
          .createNamespace({
            body: {
              metadata: {
                name: 'rbac-probe',
                labels: { [RunKeys.managedBy]: RunKeys.managedByValue },
              },
            },
            dryRun: 'All',
          })
          .then(
            () => false,
            () => true,
          );
        return {
          done: rbac.allowed && refused,
          state: { rbac: rbac.allowed, policy: refused },
        };
      },
    });
  }, 600_000);

  afterAll(async () => {
    try {
      await cleanup.runAll();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('passes every applicable check of every area, none refused a request', async () => {
    const suites = env.KNC_RBAC_SUITES;
    const started = performance.now();
    const result = await runAsRunner({
      kubeconfig: runnerFile,
      reportDir,
      suites: suites === '' ? undefined : suites,
      echo: (chunk) => process.stderr.write(chunk),
    });
    const summary = readSummary(reportDir);
    log(
      `run as ${sa.namespace}/${sa.name}: exit ${String(result.code)}, ${JSON.stringify(summary.totals)}, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    expect(permissionProblems(summary, result.output)).toEqual([]);
    expect(summary.totals.passed).toBeGreaterThan(0);
    expect(result.code).toBe(0);
    // Nothing of the run is left: its namespaces are gone or on their way.
    const runId = summary.environment?.runId ?? '?';
    const left = await admin
      .makeApiClient(CoreV1Api)
      .listNamespace({ labelSelector: `${RunKeys.run}=${runId}` });
    expect(
      left.items.filter((n) => n.status?.phase !== 'Terminating').map((n) => n.metadata?.name),
    ).toEqual([]);
  }, 3_600_000);

  it('is allowed every access of the runner, by the API server itself', async () => {
    const denied: string[] = [];
    for (const access of requiredAccess) {
      const review = await reviewAccess(runner, access);
      if (!review.allowed) denied.push(`${describeAccess(access)} (${access.why})`);
    }
    for (const path of requiredPaths) {
      if (!(await reviewPath(runner, path)).allowed) denied.push(`${path.verb} ${path.path}`);
    }
    expect(denied).toEqual([]);
  }, 120_000);

  it('is refused by RBAC what no check does (secrets, other ConfigMaps, nodes, RBAC, tokens)', async () => {
    const allowed: string[] = [];
    for (const access of forbiddenAccess) {
      const review = await reviewAccess(runner, access);
      if (review.allowed) allowed.push(`${describeAccess(access)}: ${review.reason}`);
    }
    expect(allowed).toEqual([]);
  }, 120_000);

  it('is refused by the admission policy any write outside the namespaces of its runs', async () => {
    const pods = await admin
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy' });
    const pod =
      pods.items[0] ??
      (await admin.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'kube-system' }))
        .items[0];
    const kubeSystemPod = {
      name: pod?.metadata?.name ?? 'none',
      container: pod?.spec?.containers[0]?.name ?? 'none',
    };
    const outcomes = await probeWrites(runner, {
      homeNamespace: sa.namespace,
      kubeSystemPod,
      policy,
    });
    for (const o of outcomes) log(`${o.what}: ${o.observed}`);
    expect(unexpected(outcomes)).toEqual([]);
  }, 300_000);

  it('leaves nothing behind, and its token dies with the ServiceAccount', async () => {
    await cleanup.runAll();
    const present = await presentObjects(admin, manifest);
    expect(present).toEqual([]);
    const error = await poll({
      what: 'the removed ServiceAccount token rejected',
      deadline: 'accessRulesInEffect',
      attempt: async () => {
        const e = await checkApiReachable(runner).then(
          () => undefined,
          (x: unknown) => x,
        );
        return { done: e !== undefined, state: e };
      },
    });
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).message).toMatch(/rejected the credentials \(HTTP 401\)/);
    expect((error as SetupError).fix).toContain('docs/rbac.md');
  }, 300_000);
});
