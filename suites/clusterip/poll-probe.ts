/**
 * A probe of the ClusterIP checks repeated until it is judged done (a batch of requests, a progress
 * read), that fails the check when its deadline passes. Its rounds are recorded first and last in
 * full plus one line per round: the observations (counts per backend) differ from round to round,
 * so recording every change would attach most rounds in full.
 */
import type { TimeoutName } from '../../helpers/timeouts.ts';
import { CheckFailure } from '../framework/evidence.ts';
import { repeatProbe, type RepeatProbeOptions } from '../framework/repeat-probe.ts';

/** Options of {@link pollProbe}: those of repeatProbe() but the recording, and the failure. */
export interface PollProbeOptions<T> extends Omit<
  RepeatProbeOptions<T>,
  'record' | 'observedInTitle'
> {
  /** The failure message (expected vs observed) from the last round's observation. */
  readonly failure: (lastObserved: string, deadline: TimeoutName) => string;
}

/**
 * Repeats a probe through repeatProbe() (recording `first-and-last`) until it is judged done and
 * returns that round's state; on timeout throws a CheckFailure with `failure`'s message, the time
 * waited and the number of attempts.
 */
export async function pollProbe<T>({ failure, ...options }: PollProbeOptions<T>): Promise<T> {
  const result = await repeatProbe({ ...options, record: 'first-and-last' });
  if (!result.timedOut) return result.last.state;
  throw new CheckFailure(
    `${failure(result.last?.observed ?? 'no attempt finished', options.deadline)} (waited ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.rounds} attempts)`,
    options.evidence,
  );
}
