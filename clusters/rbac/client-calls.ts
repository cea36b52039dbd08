/**
 * The Kubernetes API calls a body of code makes, found in its source: every method of the
 * client's generated API classes (`core.listNamespacedPod(`, `apps.replaceNamespacedDeploymentScale(`)
 * turned into the RBAC verb and resource it needs, plus the client's helper classes that open
 * their own requests (Exec, Watch, Log, …). The RBAC unit test compares what it finds with the
 * runner's list of accesses, so a new call in a check cannot go unnoticed by the manifest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as client from '@kubernetes/client-node';

/** One call found in the source. */
export interface ClientCall {
  /** File, relative to the root given to {@link findClientCalls}. */
  readonly file: string;
  /** The method or class as written ("listNamespacedPod", "new Exec"). */
  readonly call: string;
  /** The RBAC verb. */
  readonly verb: string;
  /** The resource ("pods", "deployments/scale"), or the path of a non-resource request. */
  readonly resource: string;
  /** True for cluster-scoped resources and lists across all namespaces. */
  readonly clusterWide: boolean;
}

/** A call whose permission cannot be told from its name. */
export interface UnknownCall {
  readonly file: string;
  readonly call: string;
}

/** Names of every method of the client's generated `*Api` classes. */
function apiMethodNames(): Set<string> {
  const names = new Set<string>();
  for (const [name, value] of Object.entries(client)) {
    if (!name.endsWith('Api') || typeof value !== 'function') continue;
    const prototype = (value as { prototype?: object }).prototype;
    if (prototype === undefined) continue;
    for (const method of Object.getOwnPropertyNames(prototype)) names.add(method);
  }
  return names;
}

const verbs: Record<string, string> = {
  create: 'create',
  read: 'get',
  list: 'list',
  delete: 'delete',
  deleteCollection: 'deletecollection',
  replace: 'update',
  patch: 'patch',
  connectGet: 'get',
  connectPost: 'create',
};

const subresources = [
  'Scale',
  'Status',
  'Log',
  'Exec',
  'Attach',
  'Portforward',
  'Proxy',
  'Token',
  'Eviction',
  'Ephemeralcontainers',
  'Resize',
  'Binding',
];

/** Methods that are no resource request, with the path they read. */
const pathMethods: Record<string, string> = { getCode: '/version' };

/** Helper classes (and the informer factory) of the client that make requests of their own. */
const helperClasses: Record<string, { verb: string; resource: string }[] | undefined> = {
  Exec: [
    { verb: 'get', resource: 'pods/exec' },
    { verb: 'create', resource: 'pods/exec' },
  ],
  Attach: undefined,
  Cp: undefined,
  Log: undefined,
  Metrics: undefined,
  PortForward: undefined,
  Watch: undefined,
  ListWatch: undefined,
  KubernetesObjectApi: undefined,
  makeInformer: undefined,
};

/** The plural resource name of a kind ("ConfigMap" → "configmaps", "Policy" → "policies"). */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === 'endpoints') return lower;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  if (lower.endsWith('s')) return `${lower}es`;
  return `${lower}s`;
}

/**
 * The verb and resource a generated method needs, or undefined when its name does not say
 * ("getAPIResources", custom objects).
 */
export function accessOfMethod(
  method: string,
): { verb: string; resource: string; clusterWide: boolean } | undefined {
  const name = method.replace(/WithHttpInfo$/, '');
  const path = pathMethods[name];
  if (path !== undefined) return { verb: 'get', resource: path, clusterWide: true };
  const m =
    /^(deleteCollection|connectGet|connectPost|create|read|list|delete|replace|patch)(Namespaced)?([A-Z]\w*?)(ForAllNamespaces)?$/.exec(
      name,
    );
  const verb = verbs[m?.[1] ?? ''];
  const kindPart = m?.[3];
  if (m === null || verb === undefined || kindPart === undefined) return undefined;
  if (kindPart.includes('CustomObject')) return undefined;
  const sub = subresources.find((s) => kindPart.endsWith(s) && kindPart !== s);
  const kind = sub === undefined ? kindPart : kindPart.slice(0, -sub.length);
  const resource = `${pluralOf(kind)}${sub === undefined ? '' : `/${sub.toLowerCase()}`}`;
  return { verb, resource, clusterWide: m[2] === undefined };
}

/** The non-test TypeScript files under `dirs` (relative to `root`). */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !/\.(test|e2e)\.ts$/.test(entry.name)) out.push(path);
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out.sort();
}

/** Every client call in `files`, and the calls whose permission is unknown. */
export function findClientCalls(
  root: string,
  files: readonly string[],
): { calls: ClientCall[]; unknown: UnknownCall[] } {
  const methods = apiMethodNames();
  const calls: ClientCall[] = [];
  const unknown: UnknownCall[] = [];
  for (const path of files) {
    const file = relative(root, path);
    const source = readFileSync(path, 'utf8');
    for (const match of source.matchAll(/\.\s*([a-z][A-Za-z]*)\s*\(/g)) {
      const method = match[1] ?? '';
      if (
        !methods.has(method) ||
        !/^(get|create|read|list|delete|replace|patch|connect|watch|log)[A-Z]/.test(method)
      )
        continue;
      const access = accessOfMethod(method);
      if (access === undefined) unknown.push({ file, call: method });
      else calls.push({ file, call: method, ...access });
    }
    const helpers =
      /\bnew\s+([A-Z][A-Za-z]*)\s*\(|\b(KubernetesObjectApi)\.makeApiClient\s*\(|\b(makeInformer)\s*\(/g;
    for (const match of source.matchAll(helpers)) {
      const name = match[1] ?? match[2] ?? match[3] ?? '';
      if (!(name in helperClasses)) continue;
      const accesses = helperClasses[name];
      if (accesses === undefined) unknown.push({ file, call: `new ${name}` });
      else
        for (const a of accesses)
          calls.push({ file, call: `new ${name}`, ...a, clusterWide: false });
    }
  }
  return { calls, unknown };
}
