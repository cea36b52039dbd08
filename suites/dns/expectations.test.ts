import { describe, expect, it } from '@jest/globals';
import { DnsOutcome, type DnsAnswer, type DnsOutcome as Outcome } from '../../helpers/outcomes.ts';
import {
  judge,
  mismatchMessage,
  normalRecord,
  reverseName,
  srvRecord,
  verdictTable,
  type DnsExpectation,
  type ExpectedAnswer,
} from './expectations.ts';

function answer(outcome: Outcome, type: string, data: string[]): DnsAnswer {
  return {
    outcome,
    status: outcome === DnsOutcome.NXDOMAIN ? 'NXDOMAIN' : 'NOERROR',
    records: data.map((d) => ({ name: 'x.', ttl: 30, type, data: d })),
  };
}

function expectation(type: string, expected: ExpectedAnswer): DnsExpectation {
  return { query: { name: 'web.ns1.svc.cluster.local.', type }, expected, because: 'test' };
}

const answered = (records: string[]): ExpectedAnswer => ({
  outcome: DnsOutcome.Answered,
  records,
});

describe('normalRecord', () => {
  it.each([
    ['A', '10.244.1.5', '10.244.1.5'],
    ['PTR', 'Web.NS1.svc.cluster.local.', 'web.ns1.svc.cluster.local'],
    ['SRV', '0 50 80 web-0.web.ns1.svc.cluster.local.', 'web-0.web.ns1.svc.cluster.local:80'],
    ['srv', '10 100 8080 web.ns1.svc.cluster.local', 'web.ns1.svc.cluster.local:8080'],
  ])('%s %s is %s', (type, data, normal) => {
    expect(normalRecord(type, data)).toBe(normal);
  });
});

describe('judge', () => {
  it.each<[string, string, ExpectedAnswer, DnsAnswer, boolean, string[], string[]]>([
    [
      'the same set in another order',
      'A',
      answered(['10.0.0.2', '10.0.0.1']),
      answer(DnsOutcome.Answered, 'A', ['10.0.0.1', '10.0.0.2']),
      true,
      [],
      [],
    ],
    [
      'a missing record',
      'A',
      answered(['10.0.0.1', '10.0.0.2']),
      answer(DnsOutcome.Answered, 'A', ['10.0.0.1']),
      false,
      ['10.0.0.2'],
      [],
    ],
    [
      'an extra record',
      'A',
      answered(['10.0.0.1']),
      answer(DnsOutcome.Answered, 'A', ['10.0.0.1', '10.0.0.9']),
      false,
      [],
      ['10.0.0.9'],
    ],
    [
      'NXDOMAIN where records were expected',
      'A',
      answered(['10.0.0.1']),
      answer(DnsOutcome.NXDOMAIN, 'A', []),
      false,
      ['10.0.0.1'],
      [],
    ],
    [
      'NXDOMAIN as expected',
      'A',
      { outcome: DnsOutcome.NXDOMAIN },
      answer(DnsOutcome.NXDOMAIN, 'A', []),
      true,
      [],
      [],
    ],
    [
      'records where NXDOMAIN was expected',
      'A',
      { outcome: DnsOutcome.NXDOMAIN },
      answer(DnsOutcome.Answered, 'A', ['10.0.0.1']),
      false,
      [],
      ['10.0.0.1'],
    ],
    [
      'NoAnswer where NXDOMAIN was expected',
      'A',
      { outcome: DnsOutcome.NXDOMAIN },
      answer(DnsOutcome.NoAnswer, 'A', []),
      false,
      [],
      [],
    ],
    [
      'SRV compared on target and port only',
      'SRV',
      answered([srvRecord('web-0.web.ns1.svc.cluster.local.', 80)]),
      answer(DnsOutcome.Answered, 'SRV', ['0 100 80 web-0.web.ns1.svc.cluster.local.']),
      true,
      [],
      [],
    ],
    [
      'SRV with another port',
      'SRV',
      answered([srvRecord('web.ns1.svc.cluster.local.', 80)]),
      answer(DnsOutcome.Answered, 'SRV', ['0 100 8080 web.ns1.svc.cluster.local.']),
      false,
      ['web.ns1.svc.cluster.local:80'],
      ['web.ns1.svc.cluster.local:8080'],
    ],
    [
      'PTR with and without the trailing dot',
      'PTR',
      answered(['web.ns1.svc.cluster.local.']),
      answer(DnsOutcome.Answered, 'PTR', ['web.ns1.svc.cluster.local.']),
      true,
      [],
      [],
    ],
  ])('%s', (_what, type, expected, observed, ok, missing, unexpected) => {
    const verdict = judge(expectation(type, expected), observed);
    expect(verdict.ok).toBe(ok);
    expect(verdict.missing).toEqual(missing);
    expect(verdict.unexpected).toEqual(unexpected);
  });

  it('ignores records of other types (a CNAME in an A answer)', () => {
    const observed: DnsAnswer = {
      outcome: DnsOutcome.Answered,
      status: 'NOERROR',
      records: [
        { name: 'x.', ttl: 5, type: 'CNAME', data: 'y.' },
        { name: 'y.', ttl: 5, type: 'A', data: '10.0.0.1' },
      ],
    };
    expect(judge(expectation('A', answered(['10.0.0.1'])), observed).ok).toBe(true);
  });
});

describe('mismatchMessage', () => {
  it.each<[string, ExpectedAnswer, DnsAnswer, string]>([
    [
      'records expected, NXDOMAIN observed',
      answered(['10.0.0.2', '10.0.0.1']),
      answer(DnsOutcome.NXDOMAIN, 'A', []),
      'expected A records {10.0.0.1, 10.0.0.2} for web.ns1.svc.cluster.local (test), observed NXDOMAIN',
    ],
    [
      'a record missing',
      answered(['10.0.0.1', '10.0.0.2']),
      answer(DnsOutcome.Answered, 'A', ['10.0.0.1']),
      'expected A records {10.0.0.1, 10.0.0.2} for web.ns1.svc.cluster.local (test), observed A records {10.0.0.1} (missing {10.0.0.2})',
    ],
    [
      'NXDOMAIN expected, records observed',
      { outcome: DnsOutcome.NXDOMAIN },
      answer(DnsOutcome.Answered, 'A', ['10.0.0.1']),
      'expected NXDOMAIN for web.ns1.svc.cluster.local (test), observed A records {10.0.0.1}',
    ],
    [
      'no server answered',
      answered(['10.0.0.1']),
      { outcome: DnsOutcome.TimedOut, status: undefined, records: [] },
      'expected A records {10.0.0.1} for web.ns1.svc.cluster.local (test), observed TimedOut (no DNS server answered)',
    ],
  ])('%s', (_what, expected, observed, message) => {
    expect(mismatchMessage(judge(expectation('A', expected), observed))).toBe(message);
  });

  it('the table prints expected, observed and the difference', () => {
    const verdict = judge(
      expectation('A', answered(['10.0.0.1'])),
      answer(DnsOutcome.Answered, 'A', ['10.0.0.9']),
    );
    expect(verdictTable([verdict])).toBe(
      [
        'FAIL web.ns1.svc.cluster.local A',
        '     expected: A records {10.0.0.1} (test)',
        '     observed: A records {10.0.0.9}',
        '     diff:     missing {10.0.0.1}; unexpected {10.0.0.9}',
      ].join('\n'),
    );
  });
});

describe('reverseName', () => {
  it.each([
    ['10.96.144.194', '194.144.96.10.in-addr.arpa.'],
    ['fd00:10:96::a', 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa.'],
    [
      '2001:db8:0:0:1:2:3:4',
      '4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.',
    ],
  ])('%s → %s', (ip, name) => {
    expect(reverseName(ip)).toBe(name);
  });
});
