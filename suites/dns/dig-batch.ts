/**
 * Several DNS queries in one exec: a shell script in the client pod runs one `dig` per query and
 * frames each output with markers carrying the query's index and dig's exit code, so one exec
 * yields one parsed answer per query (parseDig) while the probe record keeps the whole transcript.
 */
import { DnsOutcome, parseDig, type DnsAnswer } from '../../helpers/outcomes.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import type { SuiteContext } from '../framework/suite-context.ts';

/** One DNS question: an absolute name (trailing dot) and a record type. */
export interface DnsQuery {
  readonly name: string;
  readonly type: string;
}

/** The output of one query cut out of a batch transcript. */
export interface DigSection {
  readonly stdout: string;
  /** dig's exit code, or null when the section never ended (script or exec cut short). */
  readonly exitCode: number | null;
}

const startMarker = '--- knc-dig';
const endMarker = '--- knc-dig-exit';

/**
 * The script behind a batch. Arguments: the server ("" for the pod's resolv.conf nameserver),
 * then name/type pairs. The dig options are the ones parseDig reads: status comment and answer
 * section only, 2 s per try, 2 tries.
 */
export const digBatchScript = [
  'server=$1; shift; i=0',
  'while [ $# -ge 2 ]; do',
  `  echo "${startMarker} $i $1 $2"`,
  '  dig +noall +comments +answer +time=2 +tries=2 ${server:+@$server} "$1" "$2"',
  `  echo "${endMarker} $i $?"`,
  '  i=$((i+1)); shift 2',
  'done',
].join('\n');

/** The argv that runs `queries` in one exec, against `server` when given. */
export function digBatchCommand(queries: readonly DnsQuery[], server?: string): string[] {
  return [
    'sh',
    '-c',
    digBatchScript,
    'knc-dig',
    server ?? '',
    ...queries.flatMap((q) => [q.name, q.type]),
  ];
}

/**
 * Cuts a batch transcript into `count` sections, one per query in order. A section whose end
 * marker is missing has exit code null; a query whose start marker is missing gets an empty
 * section with exit code null.
 */
export function splitDigBatch(stdout: string, count: number): DigSection[] {
  const sections: { lines: string[]; exitCode: number | null }[] = Array.from(
    { length: count },
    () => ({ lines: [], exitCode: null }),
  );
  let current: number | undefined;
  for (const line of stdout.split('\n')) {
    const end = new RegExp(`^${endMarker} (\\d+) (\\d+)$`).exec(line);
    if (end !== null) {
      const section = sections[Number(end[1])];
      if (section !== undefined) section.exitCode = Number(end[2]);
      current = undefined;
      continue;
    }
    const start = new RegExp(`^${startMarker} (\\d+) `).exec(line);
    if (start !== null) {
      current = Number(start[1]);
      continue;
    }
    if (current !== undefined) sections[current]?.lines.push(line);
  }
  return sections.map((s) => ({ stdout: s.lines.join('\n'), exitCode: s.exitCode }));
}

/** Parses each query's section of a batch; a transport failure makes every answer Inconclusive. */
export function parseDigBatch(
  result: Pick<ProbeResult, 'exitCode' | 'stdout'>,
  queries: readonly DnsQuery[],
): DnsAnswer[] {
  if (result.exitCode === null) {
    return queries.map(() => ({
      outcome: DnsOutcome.Inconclusive,
      status: undefined,
      records: [],
    }));
  }
  const sections = splitDigBatch(result.stdout, queries.length);
  return queries.map((q, i) => parseDig(sections[i] ?? { stdout: '', exitCode: null }, q.type));
}

/** What one batch run returned: the probe (for evidence) and one answer per query. */
export interface DigBatchResult {
  readonly probe: ProbeResult;
  readonly answers: readonly DnsAnswer[];
}

/**
 * Runs `queries` with dig in one exec in `pod`'s `container`; `server` overrides the pod's
 * resolv.conf nameserver. Never throws for DNS failures: they are answers.
 */
export async function runDigBatch(
  ctx: SuiteContext,
  pod: string,
  container: string,
  queries: readonly DnsQuery[],
  server?: string,
): Promise<DigBatchResult> {
  const probe = await ctx.exec(pod, container, digBatchCommand(queries, server));
  return { probe, answers: parseDigBatch(probe, queries) };
}
