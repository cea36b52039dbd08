/** What `cluster up` records about a cluster it created, so `cluster down` can undo exactly that. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './paths.ts';
import type { ProfileName } from './profiles.ts';

/** The QEMU guest a cluster of the IPVS lane runs in (see clusters/guest-cluster.ts). */
export interface GuestRecord {
  /** The VM's directory: disk overlay, console log, pid file. */
  readonly vmDir: string;
  /** The guest's Docker API, forwarded to the host's loopback (`tcp://127.0.0.1:<port>`). */
  readonly dockerHost: string;
  /** The host port forwarded to the guest's API server. */
  readonly apiPort: number;
  readonly qemuPid: number;
  /** The deadline scale runs against this cluster use unless told otherwise. */
  readonly timeoutScale: number;
}

/** The record of one cluster. */
export interface ClusterState {
  readonly name: string;
  readonly profile: ProfileName;
  /** Kubeconfig written for this cluster (outside the user's ~/.kube/config). */
  readonly kubeconfig: string;
  readonly context: string;
  readonly nodeImage: string;
  /** True when the images were built locally (no registry). */
  readonly offline: boolean;
  /** The kind binary that created it. */
  readonly kind: string;
  /** Docker image tags that did not exist before `cluster up`. */
  readonly createdTags: readonly string[];
  /** Tags worth keeping in the cache for the next `cluster up` (node and fixture images). */
  readonly cachedTags: readonly string[];
  /** True when `cluster up` created Docker's "kind" network. */
  readonly createdNetwork: boolean;
  readonly createdAt: string;
  /** Present when the cluster runs inside the IPVS lane's guest VM rather than on the host. */
  readonly guest?: GuestRecord;
}

function dir(): string {
  return join(cacheDir(), 'clusters');
}

/** Path of the kubeconfig file of cluster `name`. */
export function kubeconfigFile(name: string): string {
  return join(dir(), `${name}.kubeconfig`);
}

/** Reads the record of cluster `name`, if this project created it. */
export function readState(name: string): ClusterState | undefined {
  const file = join(dir(), `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterState) : undefined;
}

/** Writes the record of a cluster. */
export function writeState(state: ClusterState): void {
  mkdirSync(dir(), { recursive: true });
  writeFileSync(join(dir(), `${state.name}.json`), `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the record and kubeconfig of cluster `name`. */
export function removeState(name: string): void {
  rmSync(join(dir(), `${name}.json`), { force: true });
  rmSync(kubeconfigFile(name), { force: true });
}
