/**
 * What a suite process learns from the command that started it (netconform run sets KNC_*),
 * with fallbacks so that jest can also be pointed at a cluster directly (KUBECONFIG).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../helpers/kubeconfig.ts';
import { newRun, type RunIdentity } from '../../helpers/run-id.ts';

/** The cluster and run a suite works in. */
export interface SuiteEnvironment {
  readonly kubeConfig: KubeConfig;
  readonly run: RunIdentity;
  /** The kind profile the cluster was made with, or "existing". */
  readonly profile: string;
}

/** Reads the environment once per suite process. */
export function suiteEnvironment(env: NodeJS.ProcessEnv = process.env): SuiteEnvironment {
  const kubeconfig = env.KNC_KUBECONFIG;
  const context = env.KNC_CONTEXT;
  const kubeConfig = loadKubeConfig({
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(context ? { context } : {}),
  });
  const base = newRun();
  const runId = env.KNC_RUN_ID;
  return {
    kubeConfig,
    run: runId ? { ...base, id: runId } : base,
    profile: env.KNC_PROFILE ?? 'existing',
  };
}
