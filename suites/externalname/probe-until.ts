/**
 * Repeats one probe until its verdict is good or a named deadline passes (here: CoreDNS learning
 * about a new Service). Every round is recorded as evidence: in full when its verdict differs from
 * the round before, otherwise as one line pointing at the round recorded in full.
 */
import { poll, PollTimeoutError } from '../../helpers/poll.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import type { TimeoutName } from '../../helpers/timeouts.ts';
import type { Evidence } from '../framework/evidence.ts';

/** The verdict on one round: good or not, and what was observed, named. */
export interface RoundVerdict {
  readonly good: boolean;
  /** "Answered CNAME outside-target.…" or "NXDOMAIN": the observation in a few words. */
  readonly observed: string;
}

/** The last round of a {@link probeUntil}: its probe and verdict, and how many rounds ran. */
export interface ProbeUntilResult {
  readonly result: ProbeResult;
  readonly verdict: RoundVerdict;
  readonly rounds: number;
  /** True when the deadline passed before a good round. */
  readonly timedOut: boolean;
}

/**
 * Runs `run` until `judge` calls a round good or `deadline` passes; returns the last round
 * (never throws for a bad verdict: the check turns it into a CheckFailure naming what it saw).
 */
export async function probeUntil(o: {
  readonly title: string;
  readonly deadline: TimeoutName;
  readonly run: () => Promise<ProbeResult>;
  readonly judge: (result: ProbeResult) => RoundVerdict;
  readonly evidence: Evidence;
}): Promise<ProbeUntilResult> {
  let rounds = 0;
  let last: { result: ProbeResult; verdict: RoundVerdict } | undefined;
  let previous: { round: number; observed: string } | undefined;
  try {
    await poll({
      what: `${o.title} to be as expected`,
      deadline: o.deadline,
      intervalMs: 1000,
      attempt: async () => {
        rounds += 1;
        const result = await o.run();
        const verdict = o.judge(result);
        if (previous?.observed === verdict.observed) {
          o.evidence.note(
            `${o.title} (round ${rounds})`,
            `exit ${result.exitCode ?? 'none'} in ${result.durationMs} ms: ${verdict.observed}, as in round ${previous.round} (recorded in full there)`,
          );
        } else {
          o.evidence.probe(`${o.title} (round ${rounds}): ${verdict.observed}`, result);
          previous = { round: rounds, observed: verdict.observed };
        }
        last = { result, verdict };
        return { done: verdict.good, state: rounds, summary: verdict.observed };
      },
    });
  } catch (error) {
    if (!(error instanceof PollTimeoutError) || last === undefined) throw error;
    return { ...last, rounds, timedOut: true };
  }
  if (last === undefined) throw new Error(`${o.title}: no round ran`);
  return { ...last, rounds, timedOut: false };
}
