/** The kind cluster profiles in clusters/profiles/, one per kube-proxy mode. */
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

/** Profile names; each is clusters/profiles/<name>.yaml. */
export const profileNames = ['iptables', 'nftables', 'ipvs'] as const;
/** One of {@link profileNames}. */
export type ProfileName = (typeof profileNames)[number];

/** The kind config file of a profile. */
export function profileConfig(profile: ProfileName): string {
  return join(repoRoot, 'clusters', 'profiles', `${profile}.yaml`);
}

/** The kube-proxy mode a profile configures (the profile is named after it). */
export function proxyModeOf(profile: ProfileName): string {
  return profile;
}

/** The default cluster name of a profile. */
export function defaultClusterName(profile: ProfileName): string {
  return `knc-${profile}`;
}
