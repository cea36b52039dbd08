/**
 * The runner's RBAC manifest (clusters/rbac/kube-netconform-runner.yaml) read as objects, with
 * the parts the tests and the docs rely on picked out: the ServiceAccount, the rules that hold
 * cluster-wide and those that hold in kube-system only, and the admission policy's subject.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAllYaml, type KubernetesObject, type V1PolicyRule } from '@kubernetes/client-node';
import { repoRoot } from '../paths.ts';

/** Path of the manifest in the repository. */
export const runnerManifestPath = join(repoRoot, 'clusters', 'rbac', 'kube-netconform-runner.yaml');

/** A ServiceAccount's coordinates. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** What the manifest holds. */
export interface RunnerManifest {
  /** Every object, in the order of the file (the order to create them in). */
  readonly objects: readonly KubernetesObject[];
  /** The ServiceAccount the roles are bound to. */
  readonly serviceAccount: ServiceAccountRef;
  /** Rules bound cluster-wide (the ClusterRole). */
  readonly clusterRules: readonly V1PolicyRule[];
  /** Rules bound in kube-system only (the Role there). */
  readonly kubeSystemRules: readonly V1PolicyRule[];
  /** The CEL expression selecting whom the admission policy applies to. */
  readonly policySubject: string;
}

/** An object with the fields of the kinds the manifest uses (all optional). */
interface ManifestObject extends KubernetesObject {
  readonly rules?: V1PolicyRule[];
  readonly subjects?: { kind: string; name: string; namespace?: string }[];
  readonly spec?: { matchConditions?: { expression: string }[] };
}

function one(objects: readonly ManifestObject[], kind: string): ManifestObject {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1 || found[0] === undefined)
    throw new Error(`${runnerManifestPath}: expected one ${kind}, found ${found.length}`);
  return found[0];
}

/**
 * Reads and checks the manifest.
 * @throws {Error} when it lacks one of its parts (one object of each kind).
 */
export function loadRunnerManifest(path = runnerManifestPath): RunnerManifest {
  const objects = (loadAllYaml(readFileSync(path, 'utf8')) as (ManifestObject | null)[]).filter(
    (o): o is ManifestObject => o !== null,
  );
  const sa = one(objects, 'ServiceAccount').metadata;
  if (sa?.name === undefined || sa.namespace === undefined)
    throw new Error(`${path}: the ServiceAccount needs a name and a namespace`);
  const role = one(objects, 'Role');
  if (role.metadata?.namespace !== 'kube-system')
    throw new Error(`${path}: the Role must be in kube-system`);
  const subject = one(objects, 'ValidatingAdmissionPolicy').spec?.matchConditions?.[0]?.expression;
  if (subject === undefined) throw new Error(`${path}: the admission policy has no matchCondition`);
  return {
    objects,
    serviceAccount: { namespace: sa.namespace, name: sa.name },
    clusterRules: one(objects, 'ClusterRole').rules ?? [],
    kubeSystemRules: role.rules ?? [],
    policySubject: subject.trim(),
  };
}

/** The user name the API server gives tokens of a ServiceAccount. */
export function serviceAccountUser(sa: ServiceAccountRef): string {
  return `system:serviceaccount:${sa.namespace}:${sa.name}`;
}

/** A short description of an object for logs and messages: "ClusterRole kube-netconform-runner". */
export function describeObject(o: KubernetesObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind ?? '?'} ${ns === undefined ? '' : `${ns}/`}${o.metadata?.name ?? '?'}`;
}
