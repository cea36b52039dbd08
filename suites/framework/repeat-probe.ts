/**
 * A probe repeated until it is judged done or a named deadline passes (traffic after a change,
 * a DNS name after a new Service, a control probe), its rounds recorded as evidence
 * (round-recorders.ts). The wait is poll()'s; a timeout is returned, not thrown, so that each
 * check words its own failure from the last round.
 */
import { systemClock, type Clock } from '../../helpers/clock.ts';
import { poll, PollTimeoutError } from '../../helpers/poll.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import type { TimeoutName } from '../../helpers/timeouts.ts';
import type { Evidence } from './evidence.ts';
import { roundRecorder, type RoundRecording } from './round-recorders.ts';

/** What one round of {@link repeatProbe} ran and observed. */
export interface ProbeRound<T> {
  /** The probe the round ran, recorded as evidence. */
  readonly probe: ProbeResult;
  /** True when the awaited condition holds: the repetition stops. */
  readonly done: boolean;
  /** What the round found, for the caller. */
  readonly state: T;
  /** One line: what the round observed ("web-a=10 web-b=0", "NXDOMAIN"). */
  readonly observed: string;
}

/** Options of {@link repeatProbe}. */
export interface RepeatProbeOptions<T> {
  readonly evidence: Evidence;
  /** The probe's title in the evidence; the recording policy adds the round number. */
  readonly title: string;
  /** What is awaited, as for poll(): "3 backends answering on 10.96.0.12:80". */
  readonly what: string;
  readonly deadline: TimeoutName;
  /** An explicit budget in ms, as for poll() (tests). */
  readonly budgetMs?: number;
  /** Pause between rounds in ms (poll()'s default when absent). */
  readonly intervalMs?: number;
  /**
   * Runs the probe once and judges it. A round that throws counts as not done, as in poll(): it
   * is recorded as an error and the repetition goes on.
   */
  readonly round: () => Promise<ProbeRound<T>>;
  /** How the rounds are recorded (default `changes`); see {@link RoundRecording}. */
  readonly record?: RoundRecording;
  /** With `changes`: a round recorded in full is titled "<title> (round N): <observed>". */
  readonly observedInTitle?: boolean;
  /** Clock, replaced in unit tests. */
  readonly clock?: Clock;
}

/** What every {@link RepeatProbeResult} tells. */
interface RepeatProbeCounts {
  /** Rounds run, those that threw included. */
  readonly rounds: number;
  /** Milliseconds from the first round to the end. */
  readonly elapsedMs: number;
}

/** A {@link repeatProbe} that ended with a round judged done. */
export interface RepeatProbeDone<T> extends RepeatProbeCounts {
  readonly timedOut: false;
  /** The round judged done. */
  readonly last: ProbeRound<T>;
}

/** A {@link repeatProbe} whose deadline passed first. */
export interface RepeatProbeTimedOut<T> extends RepeatProbeCounts {
  readonly timedOut: true;
  /** The last round that returned; undefined when every round threw. */
  readonly last: ProbeRound<T> | undefined;
  /** poll()'s timeout: what was awaited, the deadline, the time and the last state. */
  readonly timeout: PollTimeoutError;
}

/** How a {@link repeatProbe} ended: a done round, or the deadline with the last round seen. */
export type RepeatProbeResult<T> = RepeatProbeDone<T> | RepeatProbeTimedOut<T>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `round` through poll() until it is done or `deadline` passes, recording every round in
 * `evidence` by the `record` policy (the recording is complete when this returns or throws).
 * Never throws for a timeout: returns it with the last round. Rethrows any other error of poll().
 */
export async function repeatProbe<T>(
  options: RepeatProbeOptions<T>,
): Promise<RepeatProbeResult<T>> {
  const clock = options.clock ?? systemClock;
  const recorder = roundRecorder({
    evidence: options.evidence,
    title: options.title,
    record: options.record ?? 'changes',
    observedInTitle: options.observedInTitle,
  });
  const start = clock.now();
  let rounds = 0;
  let last: ProbeRound<T> | undefined;
  try {
    const done = await poll({
      what: options.what,
      deadline: options.deadline,
      budgetMs: options.budgetMs,
      intervalMs: options.intervalMs,
      clock,
      attempt: async () => {
        rounds += 1;
        const round = rounds;
        let result: ProbeRound<T>;
        try {
          result = await options.round();
        } catch (error) {
          recorder.add({ round, error: messageOf(error) });
          throw error;
        }
        recorder.add({ round, probe: result.probe, observed: result.observed });
        last = result;
        return { done: result.done, state: result, summary: result.observed };
      },
    });
    return { rounds, elapsedMs: clock.now() - start, timedOut: false, last: done };
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    return { rounds, elapsedMs: error.elapsedMs, timedOut: true, last, timeout: error };
  } finally {
    recorder.finish();
  }
}
