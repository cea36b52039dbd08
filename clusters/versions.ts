/** Reads clusters/versions.env (bash KEY=value lines), the single place versions are pinned. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

/** Parses KEY=value lines, ignoring comments and blank lines, unquoting "values". */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] === undefined || m[2] === undefined) continue;
    out[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/** The pinned versions. */
export function pinnedVersions(): Record<string, string> {
  return parseEnvFile(readFileSync(join(repoRoot, 'clusters', 'versions.env'), 'utf8'));
}

/** The pinned Kubernetes version, e.g. v1.34.4. */
export function kubernetesVersion(): string {
  const v = pinnedVersions().KUBERNETES_VERSION;
  if (v === undefined) throw new Error('clusters/versions.env has no KUBERNETES_VERSION');
  return v;
}
