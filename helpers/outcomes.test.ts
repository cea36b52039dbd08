import { describe, expect, it } from '@jest/globals';
import { classifyCurl, ConnectOutcome, DnsOutcome, parseDig } from './outcomes.ts';

describe('classifyCurl', () => {
  const cases: [number | null, string, ConnectOutcome][] = [
    [0, '', ConnectOutcome.Reached],
    [6, 'curl: (6) Could not resolve host: nginx', ConnectOutcome.NameNotResolved],
    [
      7,
      'curl: (7) Failed to connect to 10.96.0.10 port 81: Connection refused',
      ConnectOutcome.Refused,
    ],
    [
      7,
      'curl: (7) Failed to connect to 10.244.1.9 port 80: No route to host',
      ConnectOutcome.Unreachable,
    ],
    [
      7,
      "* connect to 10.96.5.5 port 81 failed: No route to host\ncurl: (7) Failed to connect to 10.96.5.5 port 81 after 0 ms: Couldn't connect to server",
      ConnectOutcome.Unreachable,
    ],
    [28, 'curl: (28) Connection timed out after 2001 milliseconds', ConnectOutcome.TimedOut],
    [52, 'curl: (52) Empty reply from server', ConnectOutcome.Reset],
    [56, 'curl: (56) Recv failure: Connection reset by peer', ConnectOutcome.Reset],
    [127, 'sh: curl: not found', ConnectOutcome.Inconclusive],
    [null, '', ConnectOutcome.Inconclusive],
    [35, 'curl: (35) SSL connect error', ConnectOutcome.OtherFailure],
  ];
  it.each(cases)('exit %p (%s) is %s', (exitCode, stderr, expected) => {
    expect(classifyCurl({ exitCode, stderr })).toBe(expected);
  });
});

describe('parseDig', () => {
  const header = (status: string) =>
    `;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: 4242\n;; flags: qr aa rd; QUERY: 1, ANSWER: 2\n`;

  it('reads the records of a NOERROR answer', () => {
    const stdout =
      header('NOERROR') +
      'web.ns1.svc.cluster.local. 30 IN A 10.244.1.5\n' +
      'web.ns1.svc.cluster.local. 30 IN A 10.244.2.7\n';
    const answer = parseDig({ exitCode: 0, stdout }, 'A');
    expect(answer.outcome).toBe(DnsOutcome.Answered);
    expect(answer.records.map((r) => r.data)).toEqual(['10.244.1.5', '10.244.2.7']);
    expect(answer.records[0]).toEqual({
      name: 'web.ns1.svc.cluster.local.',
      ttl: 30,
      type: 'A',
      data: '10.244.1.5',
    });
  });

  it('keeps SRV data whole', () => {
    const stdout =
      header('NOERROR') +
      '_http._tcp.web.ns1.svc.cluster.local. 30 IN SRV 0 50 80 web-0.web.ns1.svc.cluster.local.\n';
    const answer = parseDig({ exitCode: 0, stdout }, 'SRV');
    expect(answer.records[0]?.data).toBe('0 50 80 web-0.web.ns1.svc.cluster.local.');
  });

  it.each([
    ['NXDOMAIN', DnsOutcome.NXDOMAIN],
    ['SERVFAIL', DnsOutcome.SERVFAIL],
    ['NOERROR', DnsOutcome.NoAnswer],
    ['REFUSED', DnsOutcome.OtherFailure],
  ])('status %s without records is %s', (status, expected) => {
    expect(parseDig({ exitCode: 0, stdout: header(status) }, 'A').outcome).toBe(expected);
  });

  it('a CNAME alone does not answer an A query', () => {
    const stdout = header('NOERROR') + 'ext.ns1.svc.cluster.local. 5 IN CNAME target.example.\n';
    expect(parseDig({ exitCode: 0, stdout }, 'A').outcome).toBe(DnsOutcome.NoAnswer);
    expect(parseDig({ exitCode: 0, stdout }, 'CNAME').outcome).toBe(DnsOutcome.Answered);
  });

  it('exit 9 means no server answered; a missing dig is inconclusive', () => {
    expect(
      parseDig({ exitCode: 9, stdout: ';; connection timed out; no servers could be reached' }, 'A')
        .outcome,
    ).toBe(DnsOutcome.TimedOut);
    expect(parseDig({ exitCode: 127, stdout: '' }, 'A').outcome).toBe(DnsOutcome.Inconclusive);
  });
});
