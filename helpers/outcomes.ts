/**
 * Named outcomes of network probes. A check compares an expected outcome with the observed one
 * and prints both by name ("expected Reached, observed TimedOut"), never a bare boolean.
 */
import type { ProbeResult } from './probe-result.ts';

/** What a connection attempt (curl, nc) observed. */
export const ConnectOutcome = {
  /** A response arrived (HTTP status of any kind unless the probe used --fail). */
  Reached: 'Reached',
  /** The destination answered with a TCP reset to the SYN (or ICMP port unreachable). */
  Refused: 'Refused',
  /** Nothing answered before the probe's own timeout: packets dropped. */
  TimedOut: 'TimedOut',
  /** The name did not resolve. */
  NameNotResolved: 'NameNotResolved',
  /** Connected, then the peer reset or closed before a full response. */
  Reset: 'Reset',
  /** ICMP host or network unreachable. */
  Unreachable: 'Unreachable',
  /** The probe itself could not run (exec stream lost, tool missing): no verdict about the network. */
  Inconclusive: 'Inconclusive',
  /** Any other failure; the evidence has the details. */
  OtherFailure: 'OtherFailure',
} as const;
/** One of {@link ConnectOutcome}. */
export type ConnectOutcome = (typeof ConnectOutcome)[keyof typeof ConnectOutcome];

/**
 * Classifies a curl run by its exit code (curl's documented codes) and, for exit 7, its message:
 * 6 name not resolved, 7 refused/unreachable, 28 timed out, 52/56 reset, 0 reached.
 * Current curl says only "Couldn't connect to server" for exit 7; the errno ("Connection refused",
 * "No route to host") is printed with -v, so probes that must tell Refused from Unreachable pass -v.
 */
export function classifyCurl(result: Pick<ProbeResult, 'exitCode' | 'stderr'>): ConnectOutcome {
  switch (result.exitCode) {
    case null:
      return ConnectOutcome.Inconclusive;
    case 0:
      return ConnectOutcome.Reached;
    case 6:
      return ConnectOutcome.NameNotResolved;
    case 7:
      return /no route to host|network is unreachable|host is unreachable/i.test(result.stderr)
        ? ConnectOutcome.Unreachable
        : ConnectOutcome.Refused;
    case 28:
      return ConnectOutcome.TimedOut;
    case 52:
    case 56:
      return ConnectOutcome.Reset;
    case 126:
    case 127:
      return ConnectOutcome.Inconclusive;
    default:
      return ConnectOutcome.OtherFailure;
  }
}

/** What a DNS query (dig) observed. */
export const DnsOutcome = {
  /** NOERROR with at least one record of the asked type. */
  Answered: 'Answered',
  /** NOERROR with no record of the asked type (the name exists). */
  NoAnswer: 'NoAnswer',
  /** The name does not exist. */
  NXDOMAIN: 'NXDOMAIN',
  /** The server failed to answer the query. */
  SERVFAIL: 'SERVFAIL',
  /** No server answered (dig exit 9). */
  TimedOut: 'TimedOut',
  /** The query could not be run. */
  Inconclusive: 'Inconclusive',
  /** Anything else (REFUSED, malformed output); the evidence has the details. */
  OtherFailure: 'OtherFailure',
} as const;
/** One of {@link DnsOutcome}. */
export type DnsOutcome = (typeof DnsOutcome)[keyof typeof DnsOutcome];

/** One resource record from a dig answer section. */
export interface DnsRecord {
  readonly name: string;
  readonly ttl: number;
  readonly type: string;
  readonly data: string;
}

/** A parsed dig run: its outcome, the status line's code and the answer records. */
export interface DnsAnswer {
  readonly outcome: DnsOutcome;
  readonly status: string | undefined;
  readonly records: readonly DnsRecord[];
}

/**
 * Parses the output of `dig +noall +comments +answer <name> <type>` (the header comment carries
 * the status, the answer section the records) and classifies it.
 */
export function parseDig(
  result: Pick<ProbeResult, 'exitCode' | 'stdout'>,
  type: string,
): DnsAnswer {
  if (result.exitCode === null || result.exitCode === 126 || result.exitCode === 127) {
    return { outcome: DnsOutcome.Inconclusive, status: undefined, records: [] };
  }
  if (result.exitCode === 9)
    return { outcome: DnsOutcome.TimedOut, status: undefined, records: [] };
  const status = /status: ([A-Z]+)/.exec(result.stdout)?.[1];
  const records: DnsRecord[] = [];
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith(';') || line.trim() === '') continue;
    const m = /^(\S+)\s+(\d+)\s+IN\s+(\S+)\s+(.+)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined && m[4] !== undefined) {
      records.push({ name: m[1], ttl: Number(m[2]), type: m[3], data: m[4].trim() });
    }
  }
  let outcome: DnsOutcome;
  if (status === 'NXDOMAIN') outcome = DnsOutcome.NXDOMAIN;
  else if (status === 'SERVFAIL') outcome = DnsOutcome.SERVFAIL;
  else if (status === 'NOERROR') {
    outcome = records.some((r) => r.type === type.toUpperCase())
      ? DnsOutcome.Answered
      : DnsOutcome.NoAnswer;
  } else outcome = DnsOutcome.OtherFailure;
  return { outcome, status, records };
}
