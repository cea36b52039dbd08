// The runner's RBAC manifest against the code, without a cluster:
//  - the manifest's objects hang together (bindings name the ServiceAccount and the roles, the
//    admission policy applies to that ServiceAccount);
//  - its rules allow every access of the runner's list and none of the forbidden ones, and grant
//    nothing that no access of the list needs;
//  - the list matches the client calls the code makes (a new API call in a check, a helper or
//    the report fails here until the list and the manifest say how it is authorized).
import { describe, expect, it } from '@jest/globals';
import type { V1PolicyRule } from '@kubernetes/client-node';
import { repoRoot } from '../paths.ts';
import { accessOfMethod, findClientCalls, pluralOf, sourceFiles } from './client-calls.ts';
import {
  describeAccess,
  forbiddenAccess,
  requiredAccess,
  requiredPaths,
  ruleAllowsPath,
  rulesAllow,
} from './runner-access.ts';
import { loadRunnerManifest, serviceAccountUser } from './runner-manifest.ts';

const manifest = loadRunnerManifest();

/** The code `netconform run` executes against an existing cluster. */
const runCode = findClientCalls(
  repoRoot,
  sourceFiles(repoRoot, ['cli', 'helpers', 'reports', 'suites']),
);

describe('the runner manifest', () => {
  it('binds both roles to its ServiceAccount and guards that account with the policy', () => {
    const sa = manifest.serviceAccount;
    for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
      const binding = manifest.objects.find((o) => o.kind === kind) as
        | {
            roleRef: { name: string };
            subjects: { kind: string; name: string; namespace: string }[];
          }
        | undefined;
      expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', ...sa }]);
      expect(binding?.roleRef.name).toBe('kube-netconform-runner');
    }
    expect(manifest.policySubject).toBe(`request.userInfo.username == '${serviceAccountUser(sa)}'`);
    const policy = manifest.objects.find((o) => o.kind === 'ValidatingAdmissionPolicy');
    const binding = manifest.objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding') as
      { spec: { policyName: string; validationActions: string[] } } | undefined;
    expect(binding?.spec.policyName).toBe(policy?.metadata?.name);
    expect(binding?.spec.validationActions).toEqual(['Deny']);
  });

  it('labels every object as part of kube-netconform, and none as made by a run', () => {
    for (const o of manifest.objects) {
      expect(o.metadata?.labels).toEqual({ 'app.kubernetes.io/part-of': 'kube-netconform' });
    }
  });

  it('allows every access of the runner', () => {
    const denied = requiredAccess.filter((a) => !rulesAllow(manifest, a)).map(describeAccess);
    expect(denied).toEqual([]);
    const paths = requiredPaths.filter(
      (p) => !manifest.clusterRules.some((r) => ruleAllowsPath(r, p)),
    );
    expect(paths).toEqual([]);
  });

  it('refuses the forbidden accesses', () => {
    const allowed = forbiddenAccess.filter((a) => rulesAllow(manifest, a)).map(describeAccess);
    expect(allowed).toEqual([]);
  });

  it('grants nothing that no access of the runner needs', () => {
    const unused = (rules: readonly V1PolicyRule[], kubeSystem: boolean): string[] =>
      rules.flatMap((rule) => {
        if (rule.nonResourceURLs !== undefined)
          return rule.nonResourceURLs.flatMap((path) =>
            rule.verbs
              .filter((verb) => !requiredPaths.some((p) => p.path === path && p.verb === verb))
              .map((verb) => `${verb} ${path}`),
          );
        return (rule.apiGroups ?? []).flatMap((group) =>
          (rule.resources ?? []).flatMap((resource) =>
            rule.verbs.flatMap((verb) =>
              (rule.resourceNames ?? [undefined]).flatMap((name) => {
                const used = requiredAccess.some(
                  (a) =>
                    a.group === group &&
                    a.resource === resource &&
                    a.verb === verb &&
                    (name === undefined || a.name === name) &&
                    (!kubeSystem || a.scope === 'kube-system'),
                );
                return used ? [] : [`${verb} ${resource}.${group} ${name ?? '*'}`];
              }),
            ),
          ),
        );
      });
    expect(unused(manifest.clusterRules, false)).toEqual([]);
    expect(unused(manifest.kubeSystemRules, true)).toEqual([]);
  });
});

describe("the runner's accesses and the code", () => {
  it('knows the permission of every client call the code makes', () => {
    expect(runCode.unknown).toEqual([]);
  });

  it('lists every access the code makes', () => {
    const missing = runCode.calls.filter((c) =>
      c.resource.startsWith('/')
        ? !requiredPaths.some((p) => p.path === c.resource && p.verb === c.verb)
        : !requiredAccess.some(
            (a) =>
              a.verb === c.verb &&
              a.resource === c.resource &&
              (a.scope === 'cluster') === c.clusterWide,
          ),
    );
    expect(missing.map((c) => `${c.file}: ${c.call} (${c.verb} ${c.resource})`)).toEqual([]);
  });

  it('lists no access the code does not make', () => {
    const stale = requiredAccess.filter(
      (a) =>
        !runCode.calls.some(
          (c) =>
            c.verb === a.verb &&
            c.resource === a.resource &&
            c.clusterWide === (a.scope === 'cluster'),
        ),
    );
    expect(stale.map(describeAccess)).toEqual([]);
  });
});

describe('reading permissions from client method names', () => {
  it.each([
    ['listNamespacedPod', 'list', 'pods', false],
    ['readNamespacedConfigMap', 'get', 'configmaps', false],
    ['replaceNamespacedDeploymentScale', 'update', 'deployments/scale', false],
    ['listDeploymentForAllNamespaces', 'list', 'deployments', true],
    ['createNamespacedServiceAccountToken', 'create', 'serviceaccounts/token', false],
    ['readNamespacedPodLogWithHttpInfo', 'get', 'pods/log', false],
    ['connectGetNamespacedPodExec', 'get', 'pods/exec', false],
    ['listServiceCIDR', 'list', 'servicecidrs', true],
    ['deleteCollectionNamespacedEvent', 'deletecollection', 'events', false],
    ['getCode', 'get', '/version', true],
  ])('%s needs %s %s', (method, verb, resource, clusterWide) => {
    expect(accessOfMethod(method)).toEqual({ verb, resource, clusterWide });
  });

  it('does not guess custom objects or discovery', () => {
    expect(accessOfMethod('getNamespacedCustomObject')).toBeUndefined();
    expect(accessOfMethod('listNamespacedCustomObject')).toBeUndefined();
    expect(accessOfMethod('getAPIResources')).toBeUndefined();
  });

  it('makes plurals of kinds', () => {
    expect(['NetworkPolicy', 'Ingress', 'Endpoints', 'Node'].map(pluralOf)).toEqual([
      'networkpolicies',
      'ingresses',
      'endpoints',
      'nodes',
    ]);
  });
});
