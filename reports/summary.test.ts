// The summary of a real run (reports/testdata: jest's --json output and the catalog of checks of
// pod-networking and kube-proxy on an iptables kind cluster, one check failing).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { readCatalog } from './catalog.ts';
import { renderJunit } from './junit.ts';
import { buildSummary, firstLine, type JestResults } from './summary.ts';

const testdata = join(import.meta.dirname, 'testdata');
const results = JSON.parse(
  readFileSync(join(testdata, 'jest-results.json'), 'utf8'),
) as JestResults;
const summary = buildSummary(results, readCatalog(testdata), undefined);

describe('buildSummary on a captured run', () => {
  test('counts every check once', () => {
    expect(summary.totals).toEqual({ passed: 8, failed: 1, skipped: 3, notRun: 0, total: 12 });
    expect(summary.suiteErrors).toEqual([]);
  });

  test('names checks by their id and keeps their area, status and duration', () => {
    expect(summary.checks.map((c) => [c.id, c.area, c.status, c.durationMs])).toEqual([
      ['kube-proxy/every-node-reports-the-configured-mode', 'kube-proxy', 'passed', 508],
      ['kube-proxy/a-cluster-ip-answers-ping-only-in-ipvs-mode', 'kube-proxy', 'passed', 2228],
      [
        'kube-proxy/a-cluster-ip-port-the-service-does-not-expose-is-not-forwarded',
        'kube-proxy',
        'passed',
        781,
      ],
      ['kube-proxy/a-service-without-endpoints-refuses-connections', 'kube-proxy', 'passed', 586],
      [
        'kube-proxy/iptables-service-chain-has-one-endpoint-rule-per-ready-endpoint-with-even-probabilities',
        'kube-proxy',
        'passed',
        1607,
      ],
      [
        'kube-proxy/nftables-table-holds-the-cluster-ip-and-one-endpoint-per-ready-endpoint',
        'kube-proxy',
        'skipped',
        0,
      ],
      [
        'kube-proxy/ipvs-virtual-server-has-the-scheduler-and-one-real-server-per-ready-endpoint',
        'kube-proxy',
        'skipped',
        0,
      ],
      ['kube-proxy/ipvs-cluster-ips-are-bound-to-kube-ipvs0', 'kube-proxy', 'skipped', 0],
      ['pod-networking/containers-of-a-pod-share-localhost', 'pod-networking', 'passed', 111],
      ['pod-networking/pod-reaches-pod-on-the-same-node', 'pod-networking', 'passed', 123],
      ['pod-networking/pod-reaches-pod-on-another-node', 'pod-networking', 'passed', 201],
      ['pod-networking/egress-leaves-with-the-node-ip', 'pod-networking', 'failed', 238],
    ]);
  });

  test('a skipped check has its title without the reason, and the reason apart', () => {
    const skipped = summary.checks.find(
      (c) => c.id === 'kube-proxy/ipvs-cluster-ips-are-bound-to-kube-ipvs0',
    );
    expect(skipped?.title).toBe(
      'IPVS: every node binds the ClusterIPs to its kube-ipvs0 interface',
    );
    expect(skipped?.reason).toBe('kube-proxy is in iptables mode; this check is for ipvs');
  });

  test('a failed check has the first line of its failure as reason, its kind and the evidence', () => {
    const failed = summary.checks.find((c) => c.status === 'failed');
    expect(failed?.reason).toBe(
      "pod client (10.244.2.112 on knc-iptables-worker) → outside knc-pod-networking-53cf61-outside-server http://172.18.0.10:80/: expected 3 answers seeing 172.18.0.3 (knc-iptables-worker's InternalIP), observed 172.18.0.3 (the node's InternalIP), 172.18.0.3 (the node's InternalIP), 172.18.0.3 (the node's InternalIP)",
    );
    expect(failed?.kind).toBe('wrong answer');
    expect(failed?.message).toContain('=== source address per request ===');
    expect(failed?.message).not.toMatch(/^\s+at /m);
  });

  test('junit.xml has one testsuite per area, the skip reasons and the failure', () => {
    const xml = renderJunit(summary);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain(
      '<testsuite name="pod-networking" tests="4" failures="1" errors="0" skipped="0" time="0.673">',
    );
    expect(xml).toContain(
      '<skipped message="kube-proxy is in iptables mode; this check is for nftables"/>',
    );
    expect(xml).toContain('type="wrong answer">CheckFailure: pod client');
  });
});

describe('firstLine', () => {
  const cases: [string, string, string | undefined, string][] = [
    [
      'drops the class name',
      'CheckFailure: a → b expected X\n\nevidence',
      undefined,
      'a → b expected X',
    ],
    [
      'drops the check id area.ts adds',
      'CheckFailure: area/x: boom\n    at f (x.ts:1:1)',
      'area/x',
      'boom',
    ],
    ['drops colours and leading blank lines', '\n\u001b[31mError: red\u001b[39m', undefined, 'red'],
    [
      'keeps a message without class',
      'thrown: "Exceeded timeout"',
      undefined,
      'thrown: "Exceeded timeout"',
    ],
  ];
  test.each(cases)('%s', (_name, message, id, expected) => {
    expect(firstLine(message, id)).toBe(expected);
  });
});

test('a suite file that failed before its checks is a suite error of its area', () => {
  const s = buildSummary(
    {
      testResults: [
        {
          name: '/repo/suites/dns/dns.suite.ts',
          status: 'failed',
          message:
            '  ● Test suite failed to run\n\n    SyntaxError: Unexpected token\n      at x (y.ts:1:1)',
          assertionResults: [],
        },
      ],
    },
    [],
    undefined,
  );
  expect(s.suiteErrors).toEqual([
    {
      area: 'dns',
      reason: '● Test suite failed to run',
      message: '  ● Test suite failed to run\n\n    SyntaxError: Unexpected token',
    },
  ]);
  expect(s.totals.total).toBe(0);
});
