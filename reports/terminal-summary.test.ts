import { expect, test } from '@jest/globals';
import type { CheckSummary, Summary } from './summary.ts';
import { renderTerminalSummary } from './terminal-summary.ts';

function summaryOf(checks: CheckSummary[], suiteErrors: Summary['suiteErrors'] = []): Summary {
  const count = (s: CheckSummary['status']): number => checks.filter((c) => c.status === s).length;
  return {
    totals: {
      passed: count('passed'),
      failed: count('failed'),
      skipped: count('skipped'),
      notRun: 0,
      total: checks.length,
    },
    checks,
    suiteErrors,
    environment: undefined,
  };
}

const check = (
  area: string,
  name: string,
  status: CheckSummary['status'],
  reason?: string,
): CheckSummary => ({
  id: `${area}/${name}`,
  area,
  title: name,
  status,
  durationMs: 1,
  ...(reason === undefined ? {} : { reason }),
});

const cases: [string, Summary, string][] = [
  [
    'the state dumps of the failing areas follow the failures, once per area',
    summaryOf([
      { ...check('dns', 'fqdn', 'failed', 'TimedOut'), stateDump: 'dumps/dns.txt' },
      { ...check('dns', 'srv', 'failed', 'TimedOut'), stateDump: 'dumps/dns.txt' },
      check('env-vars', 'before', 'passed'),
    ]),
    [
      'area      passed  failed  skipped',
      'dns            0       2        0',
      'env-vars       1       0        0',
      'total          1       2        0',
      '',
      'failed:',
      '  dns/fqdn: TimedOut',
      '  dns/srv: TimedOut',
      '',
      'state dumps (events, pods, kube-proxy and CoreDNS logs), in the report directory:',
      '  dumps/dns.txt',
      '',
    ].join('\n'),
  ],
  [
    'everything passed: the table only, areas by name',
    summaryOf([check('pod-networking', 'a', 'passed'), check('kube-proxy', 'b', 'passed')]),
    [
      'area            passed  failed  skipped',
      'kube-proxy           1       0        0',
      'pod-networking       1       0        0',
      'total                2       0        0',
      '',
    ].join('\n'),
  ],
  [
    'failures are listed with their reason, skips are only counted',
    summaryOf([
      check('kube-proxy', 'mode', 'failed', '1 of 3 node(s) do not report ipvs:'),
      check('kube-proxy', 'ipvs', 'skipped', 'kube-proxy is in iptables mode'),
      check('dns', 'fqdn', 'passed'),
      check('dns', 'search', 'failed', 'client → web expected Reached, observed NameNotResolved'),
    ]),
    [
      'area        passed  failed  skipped',
      'dns              1       1        0',
      'kube-proxy       0       1        1',
      'total            1       2        1',
      '',
      'failed:',
      '  kube-proxy/mode: 1 of 3 node(s) do not report ipvs:',
      '  dns/search: client → web expected Reached, observed NameNotResolved',
      '',
    ].join('\n'),
  ],
  [
    'a suite that did not run has a row and a line',
    summaryOf(
      [check('pod-networking', 'a', 'passed')],
      [{ area: 'nodeport', reason: '● Test suite failed to run', message: '' }],
    ),
    [
      'area            passed  failed  skipped',
      'nodeport             0       0        0',
      'pod-networking       1       0        0',
      'total                1       0        0',
      '',
      'failed:',
      '  nodeport (suite did not run): ● Test suite failed to run',
      '',
    ].join('\n'),
  ],
];

test.each(cases)('%s', (_name, summary, expected) => {
  expect(renderTerminalSummary(summary)).toBe(expected);
});
