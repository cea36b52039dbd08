// What in a run's results betrays a missing permission: failures, skips for refused reads, facts
// the report could not read, refusals in the output; and nothing for a clean run.
import { describe, expect, it } from '@jest/globals';
import type { Summary } from '../../reports/summary.ts';
import { permissionProblems, refusalIn } from './run-as-runner.ts';

const environment = {
  kubernetesVersion: 'v1.34.4',
  nodes: '3',
  kubeProxyMode: 'iptables',
  cni: 'flannel',
  clusterDomain: 'cluster.local',
  serviceRange: '10.96.0.0/16',
  profile: 'existing',
  runId: 'knc-20261123-134658-57672a',
};

function summary(overrides: Partial<Summary> = {}): Summary {
  return {
    totals: { passed: 2, failed: 0, skipped: 1, notRun: 0, total: 3 },
    checks: [
      { id: 'dns/a', area: 'dns', title: 'a', status: 'passed', durationMs: 1 },
      {
        id: 'kube-proxy/ipvs-b',
        area: 'kube-proxy',
        title: 'b',
        status: 'skipped',
        durationMs: 0,
        reason: 'kube-proxy is in iptables mode; this check is for ipvs',
      },
    ],
    suiteErrors: [],
    environment,
    ...overrides,
  };
}

describe('permission problems of a run', () => {
  it('finds none in a clean run whose skips are about the cluster', () => {
    expect(permissionProblems(summary(), 'run knc-1: suites dns\n✓ dns/a\n')).toEqual([]);
  });

  it('names failed checks, suite errors and skips for a refused read', () => {
    const s = summary({
      checks: [
        {
          id: 'dns/a',
          area: 'dns',
          title: 'a',
          status: 'failed',
          durationMs: 1,
          reason: 'set-up: statefulsets.apps is forbidden',
        },
        {
          id: 'dns/pod-records',
          area: 'dns',
          title: 'p',
          status: 'skipped',
          durationMs: 0,
          reason: 'the ConfigMap kube-system/coredns could not be read (HTTP-Code: 403)',
        },
      ],
      suiteErrors: [{ area: 'nodeport', reason: 'nodes is forbidden', message: '' }],
    });
    expect(permissionProblems(s, '')).toEqual([
      'failed: dns/a: set-up: statefulsets.apps is forbidden',
      'skipped for a refused read: dns/pod-records: the ConfigMap kube-system/coredns could not be read (HTTP-Code: 403)',
      'suite error: nodeport: nodes is forbidden',
    ]);
  });

  it('names facts of the report that could not be read, and refusals in the output', () => {
    const s = summary({ environment: { ...environment, cni: 'unknown' } });
    expect(permissionProblems(s, 'ok\n  Error: pods is Forbidden: User "x"\n')).toEqual([
      'the report could not read cni',
      'output: Error: pods is Forbidden: User "x"',
    ]);
  });
});

describe('the refusal in a failure message', () => {
  it('is read from the escaped Status body of a client error', () => {
    const message = String.raw`CheckFailure: clusterip/x: HTTP-Code: 403
Message: Unknown API Status Code!
Body: "{\"kind\":\"Status\",\"message\":\"deployments.apps \\\"scaling\\\" is forbidden: User \\\"system:serviceaccount:kube-netconform:netconform-runner\\\" cannot update resource \\\"deployments/scale\\\" in API group \\\"apps\\\" in the namespace \\\"knc-clusterip-1db640\\\"\",\"code\":403}\n"`;
    expect(refusalIn(message)).toBe(
      'cannot update resource "deployments/scale" in API group "apps" in the namespace "knc-clusterip-1db640"',
    );
  });

  it('names an admission policy that denied the request', () => {
    expect(
      refusalIn(
        `pods "p" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: only in own namespaces"`,
      ),
    ).toBe("ValidatingAdmissionPolicy 'p' with binding 'b' denied request: only in own namespaces");
    expect(refusalIn('timed out after 30 s')).toBeUndefined();
  });
});
