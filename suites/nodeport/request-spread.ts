/**
 * Many HTTP requests in one exec: a shell loop per target (targets run in parallel, requests to
 * one target in sequence), each request printed as one tab-separated line (target, curl exit code,
 * the backend that answered, the client address it saw, curl's error). Parsed into a per-target
 * tally of named outcomes, backends and client addresses, which the NodePort checks compare with
 * their expected tables.
 */
import { classifyCurl, ConnectOutcome } from '../../helpers/outcomes.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { probeSeconds } from '../../helpers/timeouts.ts';
import { CheckFailure, type Evidence } from '../framework/evidence.ts';
import { repeatProbe } from '../framework/repeat-probe.ts';

/** One destination of a spread: a label for tables (a node name) and the URL to request. */
export interface SpreadTarget {
  readonly label: string;
  readonly url: string;
}

/** How many requests to send and how long each may take. */
export interface SpreadOptions {
  /** Requests per target. */
  readonly requests: number;
  /** Stop a target after this many failures in a row from its first request (0: never). */
  readonly abandonAfter?: number;
  /** curl --connect-timeout in seconds (default 1; scaled by probeSeconds). */
  readonly connectTimeoutS?: number;
  /** curl --max-time in seconds (default 3; scaled by probeSeconds). */
  readonly maxTimeS?: number;
}

/** What the requests to one target observed. */
export interface TargetTally {
  readonly label: string;
  /** Requests asked for. */
  readonly requested: number;
  /** Requests sent (fewer than asked when the target was abandoned). */
  sent: number;
  /** Requests per named outcome. */
  readonly outcomes: Map<ConnectOutcome, number>;
  /** Answers per backend name (the "This is <name>" line). */
  readonly backends: Map<string, number>;
  /** Answers per client IP the backend saw (the "client: <ip>:<port>" line, port dropped). */
  readonly clients: Map<string, number>;
  /** The first curl error message seen, for the table. */
  firstError: string | undefined;
}

// A plain template literal: \${ and \\t reach the shell as ${ and \t.
const script = `
n=$1; ct=$2; mt=$3; ab=$4; shift 4
d=$(mktemp -d)
k=0
while [ $# -gt 1 ]; do
  k=$((k+1)); label=$1; url=$2; shift 2
  (
    i=0; ok=0
    while [ $i -lt $n ]; do
      i=$((i+1))
      curl -sS --connect-timeout $ct --max-time $mt -o $d/body.$k "$url" 2>$d/err.$k; rc=$?
      [ $rc -eq 0 ] && ok=$((ok+1))
      host=$(sed -n 's/^This is //p' $d/body.$k 2>/dev/null | head -n1)
      client=$(sed -n 's/^client: //p' $d/body.$k 2>/dev/null | head -n1)
      err=$(head -n1 $d/err.$k | tr '\\t' ' ')
      printf '%s\\t%s\\t%s\\t%s\\t%s\\n' "$label" "$rc" "\${host:--}" "\${client:--}" "\${err:--}"
      rm -f $d/body.$k
      if [ $ab -gt 0 ] && [ $i -ge $ab ] && [ $ok -eq 0 ]; then break; fi
    done
  ) > $d/out.$k &
done
wait
j=1; while [ $j -le $k ]; do cat $d/out.$j; j=$((j+1)); done
rm -rf $d
`;

/** The argv that sends `options.requests` requests to every target (targets in parallel). */
export function spreadCommand(targets: readonly SpreadTarget[], options: SpreadOptions): string[] {
  return [
    'sh',
    '-c',
    script,
    'spread',
    String(options.requests),
    String(probeSeconds(options.connectTimeoutS ?? 1)),
    String(probeSeconds(options.maxTimeS ?? 3)),
    String(options.abandonAfter ?? 0),
    ...targets.flatMap((t) => [t.label, t.url]),
  ];
}

/** The client IP of a "client: <ip>:<port>" value ("[v6]:port" included). */
export function clientIP(address: string): string {
  const m = /^\[?(.*?)\]?:\d+$/.exec(address);
  return m?.[1] ?? address;
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Parses the output of {@link spreadCommand}: one tally per target, in the targets' order. */
export function parseSpread(
  stdout: string,
  targets: readonly SpreadTarget[],
  requested: number,
): TargetTally[] {
  const ordered: TargetTally[] = targets.map((t) => ({
    label: t.label,
    requested,
    sent: 0,
    outcomes: new Map(),
    backends: new Map(),
    clients: new Map(),
    firstError: undefined,
  }));
  const tallies = new Map(ordered.map((t) => [t.label, t]));
  for (const line of stdout.split('\n')) {
    const [label, rc, host, client, err] = line.split('\t');
    if (label === undefined || rc === undefined || err === undefined) continue;
    const tally = tallies.get(label);
    if (tally === undefined) continue;
    const stderr = err === '-' ? '' : err;
    const outcome = classifyCurl({ exitCode: Number(rc), stderr });
    tally.sent += 1;
    bump(tally.outcomes, outcome);
    if (outcome === ConnectOutcome.Reached) {
      if (host !== undefined && host !== '-') bump(tally.backends, host);
      if (client !== undefined && client !== '-') bump(tally.clients, clientIP(client));
    } else {
      tally.firstError ??= stderr;
    }
  }
  return ordered;
}

/** Requests of a tally that reached a backend. */
export function reached(tally: TargetTally): number {
  return tally.outcomes.get(ConnectOutcome.Reached) ?? 0;
}

/**
 * "Reached 30/30", "Reached 2/3, Refused 1/3", or "TimedOut 3/3 (stopped after 3 of 30)": the
 * outcomes, most frequent first, and whether the target was abandoned.
 */
export function describeOutcomes(tally: TargetTally): string {
  if (tally.sent === 0) return 'no request ran';
  const outcomes = [...tally.outcomes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([outcome, count]) => `${outcome} ${count}/${tally.sent}`)
    .join(', ');
  return tally.sent < tally.requested
    ? `${outcomes} (stopped after ${tally.sent} of ${tally.requested})`
    : outcomes;
}

/** "web-a:12 web-b:9" (sorted by name), or "-" when no backend answered. */
export function describeCounts(counts: ReadonlyMap<string, number>): string {
  if (counts.size === 0) return '-';
  return [...counts.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([name, count]) => `${name}:${count}`)
    .join(' ');
}

/** The dominant non-Reached outcome of a tally, or undefined when every request was reached. */
export function failureOutcome(tally: TargetTally): ConnectOutcome | undefined {
  return [...tally.outcomes.entries()]
    .filter(([outcome]) => outcome !== ConnectOutcome.Reached)
    .sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Renders rows of cells as an aligned text table with a header row. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A verdict on one round of tallies: the expected/observed table and what differs. */
export interface SpreadVerdict {
  /** The expected × observed table of this round. */
  readonly table: string;
  /** One sentence per cell that differs ("knc-worker: expected Reached 30/30, observed …"). */
  readonly mismatches: readonly string[];
}

/** Options of {@link spreadUntil}. */
export interface SpreadUntilOptions {
  /** The route, for probe titles and messages: "outside → web NodePort on every node". */
  readonly what: string;
  /** Runs the command where the requests start (a pod or an outside container). */
  readonly exec: (argv: readonly string[]) => Promise<ProbeResult>;
  readonly targets: readonly SpreadTarget[];
  readonly options: SpreadOptions;
  /** Compares one round of tallies with the expectation. */
  readonly judge: (tallies: readonly TargetTally[]) => SpreadVerdict;
  readonly evidence: Evidence;
}

/**
 * Sends the spread again until `judge` finds no mismatch or kube-proxy's convergence deadline
 * ("proxyRulesConverge") passes, through repeatProbe(): every round is recorded, in full (command
 * and output) when its verdict differs from the round before, else as one line saying so; the last
 * table as a note. Returns the tallies of the round that matched; throws a {@link CheckFailure}
 * with the last round's mismatches and table otherwise.
 */
export async function spreadUntil(o: SpreadUntilOptions): Promise<readonly TargetTally[]> {
  let last: SpreadVerdict | undefined;
  let tallies: readonly TargetTally[] = [];
  const result = await repeatProbe({
    evidence: o.evidence,
    title: o.what,
    what: `${o.what} matching the expected table`,
    deadline: 'proxyRulesConverge',
    intervalMs: 1000,
    round: async () => {
      const probe = await o.exec(spreadCommand(o.targets, o.options));
      if (probe.exitCode === 0) tallies = parseSpread(probe.stdout, o.targets, o.options.requests);
      const verdict = probe.exitCode === 0 ? o.judge(tallies) : undefined;
      last = verdict ?? last;
      return {
        probe,
        done: verdict?.mismatches.length === 0,
        state: verdict,
        observed:
          verdict === undefined
            ? `the request loop exited ${probe.exitCode ?? 'without status'}`
            : verdict.mismatches.join('; ') || 'as expected',
      };
    },
  });
  // The message renders the evidence as it is now; it holds the table already.
  const failure = !result.timedOut
    ? undefined
    : last === undefined
      ? new CheckFailure(
          `${o.what}: no round of requests ran (${result.timeout.message})`,
          o.evidence,
        )
      : new CheckFailure(
          `${o.what}, after ${result.rounds} round(s) until the "proxyRulesConverge" deadline: ${last.mismatches.join('; ')}\n${last.table}`,
          o.evidence,
        );
  if (last !== undefined) o.evidence.note(`${o.what}: expected and observed`, last.table);
  if (failure !== undefined) throw failure;
  return tallies;
}
