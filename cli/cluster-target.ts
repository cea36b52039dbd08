/**
 * Which cluster `netconform run` tests, by kubectl's conventions: the kubeconfig is --kubeconfig,
 * else the first file of KUBECONFIG that exists, else ~/.kube/config; the context is --context,
 * else the file's current-context. --kubeconfig, --context or a non-empty KUBECONFIG name an
 * existing cluster, as they do for kubectl, cilium-cli and Sonobuoy. A kind cluster of a profile is
 * created when a flag of kind clusters asks for one (--profile, --reuse, --keep-cluster, --offline;
 * even with KUBECONFIG set), or when nothing names a cluster.
 */
import type { ClusterSource } from '../helpers/kubeconfig.ts';
import { profileNames, type ProfileName } from '../clusters/profiles.ts';
import { oneOf } from './args.ts';
import { UsageError } from './usage-error.ts';

/** The cluster a run tests: an existing one, or a kind cluster it creates. */
export type ClusterTarget =
  | { readonly kind: 'existing'; readonly source: ClusterSource }
  | { readonly kind: 'kind'; readonly profile: ProfileName };

/** The cluster-choosing flags of `run`, as given. */
export interface TargetFlags {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly profile: string | undefined;
  /** The other flags of kind clusters that were given (reuse, keep-cluster, offline). */
  readonly kindFlags: readonly string[];
}

/**
 * The cluster that `flags` and `env` name (see the file comment).
 * @throws {UsageError} for a flag of kind clusters together with --kubeconfig/--context, or an
 * unknown profile.
 */
export function clusterTarget(
  flags: TargetFlags,
  env: NodeJS.ProcessEnv = process.env,
): ClusterTarget {
  const { kubeconfig, context, profile } = flags;
  const named = kubeconfig !== undefined || context !== undefined;
  const kindFlags = [...(profile === undefined ? [] : ['profile']), ...flags.kindFlags];
  if (named && kindFlags.length > 0)
    throw new UsageError(
      `--${kindFlags.join(', --')} ${kindFlags.length === 1 ? 'is a flag' : 'are flags'} of the kind cluster a run creates, and cannot be combined with --kubeconfig/--context`,
      'use one or the other',
    );
  if (kindFlags.length > 0 || (!named && (env.KUBECONFIG ?? '') === ''))
    return { kind: 'kind', profile: oneOf('profile', profile ?? 'iptables', profileNames) };
  return {
    kind: 'existing',
    source: {
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      ...(context === undefined ? {} : { context }),
    },
  };
}
