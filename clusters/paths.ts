/** Where the project keeps what it builds and what it knows about the clusters it made. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, '..');

/** The cache root: $KNC_CACHE_DIR, else $XDG_CACHE_HOME/kube-netconform, else ~/.cache/kube-netconform. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.KNC_CACHE_DIR;
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'kube-netconform');
}

/** A script of the repository, by path relative to clusters/. */
export function clusterScript(relativePath: string): string {
  return join(repoRoot, 'clusters', relativePath);
}
