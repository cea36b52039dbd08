// The gathering of a state dump against a stand-in for the three API calls it makes: which pods'
// logs it reads, how a refused read and a cluster that does not answer end up in the dump. (What
// the dump shows of a real broken cluster is seen in the self-test's reports.)
import { describe, expect, test } from '@jest/globals';
import {
  ApiException,
  type CoreV1EventList,
  type V1Pod,
  type V1PodList,
} from '@kubernetes/client-node';
import { componentSelectors, gatherStateDump, type DumpApi } from './state-dump.ts';

const pod = (name: string, node: string, container = 'main'): V1Pod => ({
  metadata: { name },
  spec: { nodeName: node, containers: [{ name: container }] },
  status: { phase: 'Running' },
});

const pods: Record<string, V1Pod[]> = {
  'knc-dns-a1b2c3': [pod('web-1', 'kind-worker2'), pod('client', 'kind-worker')],
  [componentSelectors.kubeProxy]: ['kind-control-plane', 'kind-worker', 'kind-worker2'].map(
    (n, i) => pod(`kube-proxy-${i}`, n, 'kube-proxy'),
  ),
  [componentSelectors.coredns]: [
    pod('coredns-1', 'kind-control-plane', 'coredns'),
    pod('coredns-2', 'kind-control-plane', 'coredns'),
  ],
};

type LogRequest = Parameters<DumpApi['readNamespacedPodLog']>[0];

/** A stand-in API; `log` answers the log reads. */
function api(log: (r: LogRequest) => Promise<string>): DumpApi & { logReads: LogRequest[] } {
  const logReads: LogRequest[] = [];
  const stub = {
    logReads,
    listNamespacedPod: (r: { namespace: string; labelSelector?: string }) =>
      Promise.resolve({ items: [...(pods[r.labelSelector ?? r.namespace] ?? [])] } as V1PodList),
    listNamespacedEvent: () =>
      Promise.resolve({
        items: [
          {
            metadata: { name: 'e' },
            involvedObject: { kind: 'Deployment', name: 'coredns' },
            reason: 'ScalingReplicaSet',
            message: 'Scaled down replica set coredns-abc to 0 from 2',
            type: 'Normal',
            lastTimestamp: new Date('2026-12-08T00:00:00Z'),
          },
        ],
      } as CoreV1EventList),
    readNamespacedPodLog: (r: LogRequest) => {
      logReads.push(r);
      return log(r);
    },
  };
  return stub;
}

const request = {
  area: 'dns',
  namespace: 'knc-dns-a1b2c3',
  runId: 'r-a1b2c3',
  failedChecks: ['dns/a'],
};

describe('gathering a state dump', () => {
  test("reads kube-proxy's log on the involved nodes only and every CoreDNS pod's, bounded", async () => {
    const fake = api((r) => Promise.resolve(`log of ${r.name}\n`));
    const dump = await gatherStateDump({ ...request, api: fake });
    expect(dump.involvedNodes).toEqual(['kind-worker', 'kind-worker2']);
    expect(fake.logReads.map((r) => `${r.name}[${r.container ?? ''}]`)).toEqual([
      'kube-proxy-1[kube-proxy]',
      'kube-proxy-2[kube-proxy]',
      'coredns-1[coredns]',
      'coredns-2[coredns]',
    ]);
    expect(fake.logReads[0]).toMatchObject({
      namespace: 'kube-system',
      tailLines: 200,
      limitBytes: 4 * 32 * 1024,
    });
    expect(dump.sections.map((s) => s.title)).toEqual([
      'pods in knc-dns-a1b2c3',
      'events in knc-dns-a1b2c3',
      'kube-proxy pods in kube-system (k8s-app=kube-proxy)',
      'CoreDNS pods in kube-system (k8s-app=kube-dns)',
      'events in kube-system',
      'kube-proxy logs: kube-system/kube-proxy-1 [kube-proxy] on kind-worker, last 200 lines',
      'kube-proxy logs: kube-system/kube-proxy-2 [kube-proxy] on kind-worker2, last 200 lines',
      'CoreDNS logs: kube-system/coredns-1 [coredns] on kind-control-plane, last 200 lines',
      'CoreDNS logs: kube-system/coredns-2 [coredns] on kind-control-plane, last 200 lines',
    ]);
    expect(dump.sections[4]?.body).toContain('deployment/coredns');
    expect(dump.sections[5]?.body).toBe('log of kube-proxy-1');
  });

  test('a log the role may not read is named with the API server’s answer', async () => {
    const forbidden = {
      kind: 'Status',
      message:
        'pods "kube-proxy-1" is forbidden: User "system:serviceaccount:kube-netconform:netconform-runner" cannot get resource "pods/log" in API group "" in the namespace "kube-system"',
      reason: 'Forbidden',
      code: 403,
    };
    const fake = api(() =>
      Promise.reject(new ApiException(403, 'Unknown API Status Code!', forbidden, {})),
    );
    const dump = await gatherStateDump({ ...request, api: fake });
    expect(dump.sections[5]?.body).toBe(
      `not readable with this user's rights: HTTP 403: ${forbidden.message}`,
    );
    expect(dump.sections[0]?.body).toMatch(/^client: Running/);
  });

  test('a cluster that does not answer costs the deadline, and the dump says what is missing', async () => {
    const silent = {
      listNamespacedPod: () => new Promise<never>(() => undefined),
      listNamespacedEvent: () => new Promise<never>(() => undefined),
      readNamespacedPodLog: () => new Promise<never>(() => undefined),
    } as unknown as DumpApi;
    const started = performance.now();
    const dump = await gatherStateDump({ ...request, api: silent, budgetMs: 100 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(dump.involvedNodes).toEqual([]);
    expect(dump.sections).toHaveLength(5);
    for (const s of dump.sections)
      expect(s.body).toBe("not gathered: the dump's deadline of 0.1 s (stateDump) passed first");
  });
});
