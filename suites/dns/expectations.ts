/**
 * DNS expectations as data: for each query, the expected outcome and record set; judged against
 * dig's answer as a set comparison (missing, unexpected), and printed as one table of expected,
 * observed and difference. Records are compared in a normal form per type: addresses as printed,
 * names lowercased without the trailing dot, SRV as `target:port` (priority and weight are
 * CoreDNS's load-spreading detail, not part of the contract).
 */
import { DnsOutcome, type DnsAnswer } from '../../helpers/outcomes.ts';
import type { DnsQuery } from './dig-batch.ts';

/** What a query should return: these records (as a set), or a named negative outcome. */
export type ExpectedAnswer =
  | { readonly outcome: typeof DnsOutcome.Answered; readonly records: readonly string[] }
  | { readonly outcome: typeof DnsOutcome.NXDOMAIN | typeof DnsOutcome.NoAnswer };

/** One row of expectations: a query, its expected answer and where the expectation comes from. */
export interface DnsExpectation {
  readonly query: DnsQuery;
  readonly expected: ExpectedAnswer;
  /** Why this is expected, for the table: "ClusterIP of Service web". */
  readonly because: string;
}

/** An expectation judged against an answer. */
export interface DnsVerdict {
  readonly expectation: DnsExpectation;
  readonly answer: DnsAnswer;
  /** Records of the asked type in normal form, sorted. */
  readonly observed: readonly string[];
  /** Expected records absent from the answer. */
  readonly missing: readonly string[];
  /** Records in the answer that were not expected. */
  readonly unexpected: readonly string[];
  readonly ok: boolean;
}

/** A name in normal form: lowercase, no trailing dot. */
export function normalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** An SRV record in normal form: `target:port`. */
export function srvRecord(target: string, port: number): string {
  return `${normalName(target)}:${port}`;
}

/** The normal form of one record's data of `type` (see the file comment). */
export function normalRecord(type: string, data: string): string {
  switch (type.toUpperCase()) {
    case 'SRV': {
      const [, , port, target] = data.split(/\s+/);
      return target === undefined || port === undefined ? data : srvRecord(target, Number(port));
    }
    case 'PTR':
    case 'CNAME':
      return normalName(data);
    default:
      return data.toLowerCase();
  }
}

/** Judges `answer` against `expectation`. */
export function judge(expectation: DnsExpectation, answer: DnsAnswer): DnsVerdict {
  const type = expectation.query.type.toUpperCase();
  const observed = [
    ...new Set(
      answer.records.filter((r) => r.type === type).map((r) => normalRecord(type, r.data)),
    ),
  ].sort();
  const expected = expectation.expected;
  if (expected.outcome !== DnsOutcome.Answered) {
    return {
      expectation,
      answer,
      observed,
      missing: [],
      unexpected: observed,
      ok: answer.outcome === expected.outcome,
    };
  }
  const want = new Set(expected.records.map((r) => normalRecord(type, r)));
  const missing = [...want].filter((r) => !observed.includes(r)).sort();
  const unexpected = observed.filter((r) => !want.has(r));
  return {
    expectation,
    answer,
    observed,
    missing,
    unexpected,
    ok: answer.outcome === DnsOutcome.Answered && missing.length === 0 && unexpected.length === 0,
  };
}

function set(records: readonly string[]): string {
  return `{${records.join(', ')}}`;
}

/** The expected answer as words: "A records {10.96.0.7}", "NXDOMAIN". */
export function describeExpected(expectation: DnsExpectation): string {
  const e = expectation.expected;
  const type = expectation.query.type.toUpperCase();
  if (e.outcome === DnsOutcome.Answered) {
    return `${type} records ${set([...new Set(e.records.map((r) => normalRecord(type, r)))].sort())}`;
  }
  if (e.outcome === DnsOutcome.NoAnswer) return `NOERROR with no ${type} records`;
  return e.outcome;
}

/** The observed answer as words: records, or the outcome with what it means. */
export function describeObserved(verdict: DnsVerdict): string {
  const type = verdict.expectation.query.type.toUpperCase();
  switch (verdict.answer.outcome) {
    case DnsOutcome.Answered:
      return `${type} records ${set(verdict.observed)}`;
    case DnsOutcome.NoAnswer:
      return `NOERROR with no ${type} records`;
    case DnsOutcome.TimedOut:
      return 'TimedOut (no DNS server answered)';
    case DnsOutcome.Inconclusive:
      return 'Inconclusive (the query could not be run)';
    case DnsOutcome.OtherFailure:
      return `OtherFailure (status ${verdict.answer.status ?? 'none'})`;
    default:
      return verdict.answer.outcome;
  }
}

/** The difference as words ("missing {…}; unexpected {…}"), or "" when there is none. */
export function describeDifference(verdict: DnsVerdict): string {
  const parts: string[] = [];
  if (verdict.expectation.expected.outcome === DnsOutcome.Answered && verdict.missing.length > 0) {
    parts.push(`missing ${set(verdict.missing)}`);
  }
  if (verdict.unexpected.length > 0) parts.push(`unexpected ${set(verdict.unexpected)}`);
  return parts.join('; ');
}

/** "expected A records {…} for web.ns.svc.cluster.local, observed NXDOMAIN (…)". */
export function mismatchMessage(verdict: DnsVerdict): string {
  const diff = describeDifference(verdict);
  return (
    `expected ${describeExpected(verdict.expectation)} for ${normalName(verdict.expectation.query.name)}` +
    ` (${verdict.expectation.because}), observed ${describeObserved(verdict)}` +
    (diff === '' ||
    verdict.answer.outcome !== DnsOutcome.Answered ||
    verdict.expectation.expected.outcome !== DnsOutcome.Answered
      ? ''
      : ` (${diff})`)
  );
}

/** Expected, observed and difference of every query, one block per query. */
export function verdictTable(verdicts: readonly DnsVerdict[]): string {
  return verdicts
    .map((v) => {
      const diff = describeDifference(v);
      return [
        `${v.ok ? 'ok  ' : 'FAIL'} ${normalName(v.expectation.query.name)} ${v.expectation.query.type.toUpperCase()}`,
        `     expected: ${describeExpected(v.expectation)} (${v.expectation.because})`,
        `     observed: ${describeObserved(v)}`,
        ...(diff === '' ? [] : [`     diff:     ${diff}`]),
      ].join('\n');
    })
    .join('\n');
}

/** The reverse-lookup name of an IPv4 or IPv6 address, with the trailing dot. */
export function reverseName(ip: string): string {
  if (!ip.includes(':')) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const full = ip.includes('::')
    ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
    : h;
  const nibbles = full.map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa.`;
}
