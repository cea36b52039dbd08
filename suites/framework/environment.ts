/**
 * What a suite process knows of its run: the kubeconfig and run of the run description
 * (helpers/run-description.ts), loaded once per process.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../helpers/kubeconfig.ts';
import { runDescription, type RunDescription } from '../../helpers/run-description.ts';
import type { RunIdentity } from '../../helpers/run-id.ts';

/** The cluster and run a suite works in. */
export interface SuiteEnvironment {
  readonly kubeConfig: KubeConfig;
  readonly run: RunIdentity;
  /** The kind profile the cluster was made with, or "existing". */
  readonly profile: string;
  /** The whole description: settings and the Docker endpoint. */
  readonly description: RunDescription;
}

let cached: SuiteEnvironment | undefined;

/** The suite environment of this process, read once. */
export function suiteEnvironment(): SuiteEnvironment {
  if (cached !== undefined) return cached;
  const description = runDescription();
  const { kubeconfig, context, profile } = description.settings;
  cached = {
    kubeConfig: loadKubeConfig({ kubeconfig, ...(context === '' ? {} : { context }) }),
    run: description.run,
    profile,
    description,
  };
  return cached;
}
