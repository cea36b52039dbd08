/**
 * Traffic probes whose outcome depends on kube-proxy's mode: ping to a ClusterIP, and TCP to a
 * ClusterIP port, classified into named outcomes and compared with a table mode → expected outcome.
 */
import type { ProbeResult } from '../../helpers/probe-result.ts';

/** What `ping -c N -W S <ip>` observed. */
export const PingOutcome = {
  /** At least one echo reply came back (ping exit 0). */
  EchoReply: 'EchoReply',
  /** No echo reply: nothing came back, or only ICMP errors (ping exit 1). */
  NoReply: 'NoReply',
  /** ping could not run or its exit code says neither (exit 2 and others, exec lost). */
  Inconclusive: 'Inconclusive',
} as const;
/** One of {@link PingOutcome}. */
export type PingOutcome = (typeof PingOutcome)[keyof typeof PingOutcome];

/** Classifies a ping run by its exit code (iputils: 0 replies, 1 no reply, 2 other errors). */
export function classifyPing(result: Pick<ProbeResult, 'exitCode'>): PingOutcome {
  if (result.exitCode === 0) return PingOutcome.EchoReply;
  if (result.exitCode === 1) return PingOutcome.NoReply;
  return PingOutcome.Inconclusive;
}

/** The ICMP errors ping printed instead of replies ("Destination Port Unreachable" from …), deduplicated. */
export function pingErrors(stdout: string): string[] {
  const errors = stdout
    .split('\n')
    .map((l) => /^From (\S+) icmp_seq=\d+ (.+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[2] ?? ''} from ${m[1] ?? ''}`);
  return [...new Set(errors)];
}

/** The pod that answered a color request ("This is <pod>"), if a color pod answered. */
export function answeredBy(stdout: string): string | undefined {
  return /^This is (\S+)/m.exec(stdout)?.[1];
}
