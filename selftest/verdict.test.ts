import { describe, expect, test } from '@jest/globals';
import {
  excerpt,
  judgeBreak,
  renderMatrix,
  renderSummary,
  type Expectations,
  type ObservedCheck,
} from './verdict.ts';

const dnsFail: ObservedCheck = {
  id: 'dns/a-service-name-resolves-to-its-cluster-ip',
  title: 'a Service name resolves',
  status: 'failed',
  message:
    'expected A records {10.96.0.5} for web.ns.svc.cluster.local. (ClusterIP), observed TimedOut (no DNS server answered)',
};
const resolvPass: ObservedCheck = {
  id: 'dns/pods-resolv-conf-points-at-kube-dns-with-the-cluster-search-list',
  title: "a pod's resolv.conf names the kube-dns IP",
  status: 'passed',
  message: '',
};
const unrelatedFail: ObservedCheck = {
  id: 'clusterip/traffic-follows-scaling-up-and-down',
  title: 'traffic follows scaling',
  status: 'failed',
  message: 'something else broke',
};

const expectations: Expectations = {
  mustFail: [{ check: dnsFail.id, message: /TimedOut|SERVFAIL/ }],
  mustPass: [resolvPass.id],
};

describe('judgeBreak', () => {
  const cases: {
    name: string;
    observed: ObservedCheck[];
    problems?: string[];
    verified: boolean;
    rows: [string, string, string, boolean | undefined][];
  }[] = [
    {
      name: 'guarding check fails naming the break, unrelated check passes',
      observed: [dnsFail, resolvPass],
      verified: true,
      rows: [
        [dnsFail.id, 'fail /TimedOut|SERVFAIL/', 'failed', true],
        [resolvPass.id, 'pass', 'passed', true],
      ],
    },
    {
      name: 'guarding check passes: the break went unseen',
      observed: [{ ...dnsFail, status: 'passed', message: '' }, resolvPass],
      verified: false,
      rows: [
        [dnsFail.id, 'fail /TimedOut|SERVFAIL/', 'passed', false],
        [resolvPass.id, 'pass', 'passed', true],
      ],
    },
    {
      name: 'guarding check fails for another reason',
      observed: [{ ...dnsFail, message: 'set-up of dns failed: quota exceeded' }, resolvPass],
      verified: false,
      rows: [
        [dnsFail.id, 'fail /TimedOut|SERVFAIL/', 'failed', false],
        [resolvPass.id, 'pass', 'passed', true],
      ],
    },
    {
      name: 'unrelated check fails too',
      observed: [dnsFail, { ...resolvPass, status: 'failed', message: 'nameserver wrong' }],
      verified: false,
      rows: [
        [dnsFail.id, 'fail /TimedOut|SERVFAIL/', 'failed', true],
        [resolvPass.id, 'pass', 'failed', false],
      ],
    },
    {
      name: 'a skipped check is neither a failure nor a pass',
      observed: [
        { ...dnsFail, status: 'skipped', message: '' },
        { ...resolvPass, status: 'skipped' },
      ],
      verified: false,
      rows: [
        [dnsFail.id, 'fail /TimedOut|SERVFAIL/', 'skipped', false],
        [resolvPass.id, 'pass', 'skipped', false],
      ],
    },
    {
      name: 'checks not reported at all are missing',
      observed: [],
      verified: false,
      rows: [
        [dnsFail.id, 'fail /TimedOut|SERVFAIL/', 'missing', false],
        [resolvPass.id, 'pass', 'missing', false],
      ],
    },
    {
      name: 'checks the break names nothing about are listed, never judged',
      observed: [dnsFail, resolvPass, unrelatedFail],
      verified: true,
      rows: [
        [dnsFail.id, 'fail /TimedOut|SERVFAIL/', 'failed', true],
        [resolvPass.id, 'pass', 'passed', true],
        [unrelatedFail.id, '—', 'failed', undefined],
      ],
    },
    {
      name: 'a run-level problem (area missing) makes the break unverified',
      observed: [dnsFail, resolvPass],
      problems: ['not verifiable: area missing (nodeport)'],
      verified: false,
      rows: [
        [dnsFail.id, 'fail /TimedOut|SERVFAIL/', 'failed', true],
        [resolvPass.id, 'pass', 'passed', true],
      ],
    },
  ];
  test.each(cases)('$name', ({ observed, problems, verified, rows }) => {
    const v = judgeBreak('coredns-scaled-to-zero', expectations, observed, problems);
    expect(v.verified).toBe(verified);
    expect(v.rows.map((r) => [r.check, r.expected, r.observed, r.ok])).toEqual(rows);
  });

  test('checks may be named by title', () => {
    const v = judgeBreak(
      'b',
      { mustFail: [{ check: dnsFail.title, message: /TimedOut/ }], mustPass: [resolvPass.title] },
      [dnsFail, resolvPass],
    );
    expect(v.verified).toBe(true);
    expect(v.rows.map((r) => r.check)).toEqual([dnsFail.id, resolvPass.id]);
  });

  test('a global or sticky pattern is matched from the start every time', () => {
    const re = /TimedOut/g;
    re.lastIndex = 5000;
    const v = judgeBreak('b', { mustFail: [{ check: dnsFail.id, message: re }], mustPass: [] }, [
      dnsFail,
    ]);
    expect(v.verified).toBe(true);
  });
});

describe('excerpt', () => {
  const cases: { name: string; message: string; pattern?: RegExp; width?: number; want: string }[] =
    [
      { name: 'first line without a pattern', message: 'one\ntwo', want: 'one' },
      {
        name: 'the matching line',
        message: 'header\nnode-b: TimedOut 3',
        pattern: /TimedOut/,
        want: 'node-b: TimedOut 3',
      },
      { name: 'blank lines skipped', message: '\n\n  text  ', want: 'text' },
      { name: 'whitespace collapsed', message: 'a    b', want: 'a b' },
      {
        name: 'a match over several lines: the line where it ends',
        message:
          'client → web: 1 of 2 names failed:\n  ClusterIP observed Reached\n✗ short name observed TimedOut\nlast',
        pattern: /ClusterIP .*Reached[\s\S]*short name .*TimedOut/,
        want: '✗ short name observed TimedOut',
      },
      {
        name: 'long line cut around the match',
        message: `${'x'.repeat(60)} observed TimedOut ${'y'.repeat(60)}`,
        pattern: /TimedOut/,
        width: 30,
        want: `…${'x'.repeat(10)} observed TimedOut…`,
      },
      {
        name: 'long line cut at the end',
        message: 'a'.repeat(20),
        width: 10,
        want: `${'a'.repeat(9)}…`,
      },
    ];
  test.each(cases)('$name', ({ message, pattern, width, want }) => {
    expect(excerpt(message, pattern, width)).toBe(want);
  });
});

describe('rendering', () => {
  test('the matrix has a header, one row per check and the verdict first', () => {
    const v = judgeBreak('coredns-scaled-to-zero', expectations, [
      dnsFail,
      resolvPass,
      unrelatedFail,
    ]);
    const lines = renderMatrix(v).split('\n');
    expect(lines[0]).toBe('break coredns-scaled-to-zero: VERIFIED');
    expect(lines[1]).toMatch(/^check\s+expected\s+observed\s+message excerpt$/);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toContain('ok');
    expect(lines[2]).toContain('TimedOut (no DNS server answered)');
    expect(lines[4]).toMatch(
      /^clusterip\/traffic-follows-scaling-up-and-down\s+—\s+failed\s+something else broke$/,
    );
  });

  test('the summary counts breaks verified and not, and says why', () => {
    const ok = judgeBreak('a', expectations, [dnsFail, resolvPass]);
    const bad = judgeBreak(
      'b',
      expectations,
      [dnsFail, resolvPass],
      ['not verifiable: area missing (nodeport)'],
    );
    const text = renderSummary([ok, bad]);
    expect(text.split('\n')).toEqual([
      'ok   a',
      'FAIL b: not verifiable: area missing (nodeport)',
      '1 passed, 1 failed',
    ]);
  });
});
