/**
 * The API accesses `netconform run` makes against an existing cluster, derived from the code
 * (each names where it happens), and accesses the runner must not have. The unit test matches
 * both lists against the manifest's rules and the code's client calls; the cluster test asks the
 * API server (SelfSubjectAccessReview) about each, as the ServiceAccount.
 */
import type { V1PolicyRule } from '@kubernetes/client-node';

/** Where an access happens: a namespace of the run, kube-system, or no namespace. */
export type AccessScope = 'own' | 'kube-system' | 'cluster';

/** One request, as RBAC sees it. */
export interface Access {
  readonly verb: string;
  /** API group; '' for the core group. */
  readonly group: string;
  /** Resource, with "/subresource" when there is one ("pods/exec"). */
  readonly resource: string;
  /** 'cluster' for cluster-scoped resources and lists across all namespaces. */
  readonly scope: AccessScope;
  /** The object's name, when the code asks for a named object outside its namespaces. */
  readonly name?: string;
  /** Why: the code that makes the request. */
  readonly why: string;
}

/** A non-resource request (GET /version). */
export interface PathAccess {
  readonly verb: string;
  readonly path: string;
  readonly why: string;
}

/** The name standing for "a namespace of the run" in access reviews (none need exist). */
export const sampleOwnNamespace = 'knc-dns-a1b2c3';

const own = (verb: string, group: string, resource: string, why: string): Access => ({
  verb,
  group,
  resource,
  scope: 'own',
  why,
});

/** Every access of `netconform run --kubeconfig …` (the kind-only paths excluded). */
export const requiredAccess: readonly Access[] = [
  ...['list', 'create', 'delete'].map((verb) => ({
    verb,
    group: '',
    resource: 'namespaces',
    scope: 'cluster' as const,
    why: 'the run namespaces: suites/framework/suite-context.ts, env-vars fixtures, helpers/reaper.ts',
  })),
  {
    verb: 'list',
    group: '',
    resource: 'nodes',
    scope: 'cluster',
    why: 'cluster facts, per-node probes, node addresses, report',
  },
  {
    verb: 'list',
    group: 'networking.k8s.io',
    resource: 'servicecidrs',
    scope: 'cluster',
    why: 'suites/clusterip/service-range.ts (no kube-apiserver pod readable)',
  },
  {
    verb: 'list',
    group: 'apps',
    resource: 'deployments',
    scope: 'cluster',
    why: 'suites/loadbalancer/implementation.ts (MetalLB controller, any namespace)',
  },
  ...['create', 'get', 'list', 'delete'].map((v) => own(v, '', 'pods', 'fixtures and checks')),
  ...['create', 'get'].map((v) => own(v, '', 'pods/exec', 'helpers/pod-exec.ts (websocket)')),
  ...['create', 'get', 'delete'].map((v) => own(v, '', 'services', 'fixtures and checks')),
  own('list', '', 'serviceaccounts', 'suites/framework/suite-context.ts'),
  own(
    'list',
    '',
    'events',
    'clusterip/a-pod-that-is-not-ready-gets-no-traffic, suites/framework/state-dump.ts',
  ),
  own('list', 'discovery.k8s.io', 'endpointslices', 'workloads, externalname'),
  ...['create', 'get'].map((v) => own(v, 'apps', 'deployments', 'suites/framework/workloads.ts')),
  own('update', 'apps', 'deployments/scale', 'clusterip and kube-proxy scaling checks'),
  ...['create', 'get'].map((v) => own(v, 'apps', 'statefulsets', 'suites/dns/fixtures.ts')),
  {
    verb: 'list',
    group: '',
    resource: 'pods',
    scope: 'kube-system',
    why: 'kube-apiserver flags: suites/clusterip/service-range.ts, suites/nodeport/node-port-range.ts; kube-proxy and CoreDNS pods: suites/framework/state-dump.ts',
  },
  {
    verb: 'list',
    group: '',
    resource: 'events',
    scope: 'kube-system',
    why: 'suites/framework/state-dump.ts (the events of kube-system)',
  },
  {
    verb: 'get',
    group: '',
    resource: 'pods/log',
    scope: 'kube-system',
    why: 'suites/framework/state-dump.ts (kube-proxy and CoreDNS logs)',
  },
  {
    verb: 'get',
    group: '',
    resource: 'services',
    scope: 'kube-system',
    name: 'kube-dns',
    why: 'suites/dns/fixtures.ts',
  },
  ...['kube-proxy', 'coredns', 'kubelet-config', 'kubeadm-config'].map((name) => ({
    verb: 'get',
    group: '',
    resource: 'configmaps',
    scope: 'kube-system' as const,
    name,
    why: 'cluster facts, dns fixtures, kube-proxy checks, reports/environment.ts',
  })),
  {
    verb: 'list',
    group: 'apps',
    resource: 'daemonsets',
    scope: 'kube-system',
    why: 'reports/environment.ts (the CNI)',
  },
];

/** Non-resource requests of a run. */
export const requiredPaths: readonly PathAccess[] = [
  { verb: 'get', path: '/version', why: 'helpers/kubeconfig.ts, reports/environment.ts' },
];

const never = (
  verb: string,
  group: string,
  resource: string,
  scope: AccessScope,
  name?: string,
): Access => ({
  verb,
  group,
  resource,
  scope,
  ...(name === undefined ? {} : { name }),
  why: 'not used by any check',
});

/** Accesses RBAC must refuse the runner (writes outside its namespaces are the policy's job). */
export const forbiddenAccess: readonly Access[] = [
  never('get', '', 'secrets', 'kube-system'),
  never('list', '', 'secrets', 'cluster'),
  never('get', '', 'secrets', 'own'),
  never('list', '', 'configmaps', 'kube-system'),
  never('get', '', 'configmaps', 'kube-system', 'extension-apiserver-authentication'),
  never('update', '', 'configmaps', 'kube-system', 'kube-proxy'),
  never('patch', '', 'configmaps', 'kube-system', 'coredns'),
  never('update', '', 'namespaces', 'cluster'),
  never('patch', '', 'namespaces', 'cluster'),
  never('patch', '', 'nodes', 'cluster'),
  never('delete', '', 'nodes', 'cluster'),
  never('get', '', 'nodes/proxy', 'cluster'),
  never('get', '', 'pods/log', 'own'),
  never('get', '', 'pods/log', 'cluster'),
  never('create', '', 'pods/portforward', 'own'),
  never('create', '', 'pods/attach', 'own'),
  never('create', '', 'pods/eviction', 'kube-system'),
  never('create', '', 'serviceaccounts/token', 'kube-system'),
  never('update', 'apps', 'deployments', 'kube-system'),
  never('delete', 'apps', 'deployments', 'kube-system'),
  never('patch', 'apps', 'daemonsets', 'kube-system'),
  never('create', 'rbac.authorization.k8s.io', 'clusterrolebindings', 'cluster'),
  never('create', 'rbac.authorization.k8s.io', 'rolebindings', 'own'),
  never('bind', 'rbac.authorization.k8s.io', 'clusterroles', 'cluster'),
  never('escalate', 'rbac.authorization.k8s.io', 'clusterroles', 'cluster'),
  never('delete', 'admissionregistration.k8s.io', 'validatingadmissionpolicybindings', 'cluster'),
  never('impersonate', '', 'serviceaccounts', 'kube-system'),
  never('impersonate', '', 'users', 'cluster'),
];

function has(list: readonly string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes(value) || list.includes('*'));
}

/** Whether one RBAC rule allows a resource access (names, groups, subresources, wildcards). */
export function ruleAllows(rule: V1PolicyRule, access: Access): boolean {
  if (!has(rule.verbs, access.verb) || !has(rule.apiGroups, access.group)) return false;
  if (!has(rule.resources, access.resource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (access.name !== undefined && names.includes(access.name));
}

/** Whether one RBAC rule allows a non-resource request (exact path or a trailing `*`). */
export function ruleAllowsPath(rule: V1PolicyRule, access: PathAccess): boolean {
  if (!has(rule.verbs, access.verb)) return false;
  return (rule.nonResourceURLs ?? []).some((url) =>
    url.endsWith('*') ? access.path.startsWith(url.slice(0, -1)) : url === access.path,
  );
}

/**
 * Whether the manifest's rules allow an access: the ClusterRole anywhere, the kube-system Role
 * only there.
 */
export function rulesAllow(
  rules: {
    readonly clusterRules: readonly V1PolicyRule[];
    readonly kubeSystemRules: readonly V1PolicyRule[];
  },
  access: Access,
): boolean {
  return (
    rules.clusterRules.some((r) => ruleAllows(r, access)) ||
    (access.scope === 'kube-system' && rules.kubeSystemRules.some((r) => ruleAllows(r, access)))
  );
}

/** An access as one line: "get configmaps kube-system/kube-proxy", "list nodes *". */
export function describeAccess(a: Access): string {
  const resource = a.group === '' ? a.resource : `${a.resource}.${a.group}`;
  const ns = a.scope === 'cluster' ? '' : `${a.scope === 'own' ? sampleOwnNamespace : a.scope}/`;
  return `${a.verb} ${resource} ${ns}${a.name ?? '*'}`;
}
