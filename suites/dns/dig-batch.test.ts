import { describe, expect, it } from '@jest/globals';
import { DnsOutcome } from '../../helpers/outcomes.ts';
import { digBatchCommand, parseDigBatch, splitDigBatch } from './dig-batch.ts';

// A transcript as the batch script printed it on a kind cluster (CoreDNS 1.12, netshoot's dig),
// trimmed of the EDNS comment lines: an A answer with two records, an NXDOMAIN, and a query to a
// server that does not answer (dig exit 9).
const transcript = [
  '--- knc-dig 0 web-headless.ns1.svc.cluster.local. A',
  ';; Got answer:',
  ';; WARNING: .local is reserved for Multicast DNS',
  ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 42708',
  ';; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1',
  ';; ANSWER SECTION:',
  'web-headless.ns1.svc.cluster.local. 30 IN A 10.244.1.19',
  'web-headless.ns1.svc.cluster.local. 30\tIN\tA\t10.244.2.26',
  '',
  '--- knc-dig-exit 0 0',
  '--- knc-dig 1 _http._tcp.web-headless.ns1.svc.cluster.local. SRV',
  ';; Got answer:',
  ';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 47917',
  ';; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1',
  '--- knc-dig-exit 1 0',
  '--- knc-dig 2 web.ns1.svc.cluster.local. A',
  ';; communications error to 192.0.2.53#53: timed out',
  ';; communications error to 192.0.2.53#53: timed out',
  ';; no servers could be reached',
  '--- knc-dig-exit 2 9',
  '',
].join('\n');

const queries = [
  { name: 'web-headless.ns1.svc.cluster.local.', type: 'A' },
  { name: '_http._tcp.web-headless.ns1.svc.cluster.local.', type: 'SRV' },
  { name: 'web.ns1.svc.cluster.local.', type: 'A' },
];

describe('digBatchCommand', () => {
  it('passes the server first ("" for resolv.conf), then name/type pairs', () => {
    const argv = digBatchCommand(queries.slice(0, 1));
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv.slice(3)).toEqual(['knc-dig', '', 'web-headless.ns1.svc.cluster.local.', 'A']);
    expect(digBatchCommand(queries.slice(0, 1), '10.96.0.10')[4]).toBe('10.96.0.10');
  });
});

describe('splitDigBatch', () => {
  it('cuts one section per query with dig exit codes', () => {
    const sections = splitDigBatch(transcript, 3);
    expect(sections.map((s) => s.exitCode)).toEqual([0, 0, 9]);
    expect(sections[0]?.stdout).toContain('10.244.2.26');
    expect(sections[0]?.stdout).not.toContain('NXDOMAIN');
    expect(sections[1]?.stdout).toContain('status: NXDOMAIN');
  });

  it.each([
    ['a section cut short', transcript.split('--- knc-dig-exit 2')[0] ?? '', [0, 0, null]],
    ['no output at all', '', [null, null, null]],
    ['markers of an unknown index', '--- knc-dig 7 x. A\nx\n--- knc-dig-exit 7 0\n', [null]],
  ])('%s leaves null exit codes', (_what, stdout, codes) => {
    expect(splitDigBatch(stdout, codes.length).map((s) => s.exitCode)).toEqual(codes);
  });
});

describe('parseDigBatch', () => {
  it('classifies each query on its own', () => {
    const answers = parseDigBatch({ exitCode: 0, stdout: transcript }, queries);
    expect(answers.map((a) => a.outcome)).toEqual([
      DnsOutcome.Answered,
      DnsOutcome.NXDOMAIN,
      DnsOutcome.TimedOut,
    ]);
    expect(answers[0]?.records.map((r) => r.data)).toEqual(['10.244.1.19', '10.244.2.26']);
  });

  it.each([
    ['the exec transport failed', { exitCode: null, stdout: transcript }],
    ['the script was cut before any marker', { exitCode: 0, stdout: '' }],
  ])('%s: every answer is Inconclusive', (_what, result) => {
    expect(parseDigBatch(result, queries).map((a) => a.outcome)).toEqual([
      DnsOutcome.Inconclusive,
      DnsOutcome.Inconclusive,
      DnsOutcome.Inconclusive,
    ]);
  });
});
