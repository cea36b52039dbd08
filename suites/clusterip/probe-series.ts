/**
 * Evidence of a probe that poll() repeats until a condition holds (a batch of requests, a progress
 * read): every attempt is kept as one summary line, the first and the last attempt in full. A
 * repeated probe thus stays readable in a failure report (a 45 s deadline can mean 60 attempts)
 * while nothing that was observed is dropped from the record.
 */
import { PollTimeoutError, poll } from '../../helpers/poll.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import type { TimeoutName } from '../../helpers/timeouts.ts';
import { CheckFailure, type Evidence } from '../framework/evidence.ts';

/** The attempts of one polled probe; call {@link ProbeSeries.record} once the poll ended (once counts). */
export class ProbeSeries {
  private readonly evidence: Evidence;
  private readonly title: string;
  private readonly lines: string[] = [];
  private first: ProbeResult | undefined;
  private last: ProbeResult | undefined;
  private recorded = false;

  constructor(evidence: Evidence, title: string) {
    this.evidence = evidence;
    this.title = title;
  }

  /** Keeps one attempt: its probe and what it observed. */
  add(probe: ProbeResult, summary: string): void {
    this.first ??= probe;
    this.last = probe;
    this.lines.push(
      `attempt ${this.lines.length + 1}: exit ${probe.exitCode ?? 'none'} in ${probe.durationMs} ms: ${summary}`,
    );
  }

  /** Adds the first and last attempts in full and the list of every attempt to the evidence. */
  record(): void {
    const n = this.lines.length;
    if (this.first === undefined || this.recorded) return;
    this.recorded = true;
    this.evidence.probe(`${this.title} (attempt 1 of ${n})`, this.first);
    if (n > 1 && this.last !== undefined) {
      this.evidence.probe(`${this.title} (attempt ${n} of ${n})`, this.last);
      this.evidence.note(`${this.title}: every attempt`, this.lines.join('\n'));
    }
  }
}

/** What one attempt of {@link pollProbe} observed. */
export interface ProbeObservation<T> {
  readonly probe: ProbeResult;
  readonly done: boolean;
  readonly state: T;
  /** One line: what this attempt saw ("web-a=10 web-b=0 (Refused)=5"). */
  readonly summary: string;
}

/** Options of {@link pollProbe}. */
export interface PollProbeOptions<T> {
  readonly evidence: Evidence;
  /** The probe's title in the evidence. */
  readonly title: string;
  /** What is awaited, as for poll(). */
  readonly what: string;
  readonly deadline: TimeoutName;
  readonly intervalMs?: number;
  /** Runs the probe once and judges it. */
  readonly attempt: () => Promise<ProbeObservation<T>>;
  /** The failure message (expected vs observed) from the last attempt's summary. */
  readonly failure: (lastSummary: string, deadline: TimeoutName) => string;
}

/**
 * Repeats a probe through poll() under a named deadline until it is judged done, keeping the
 * attempts as a {@link ProbeSeries}; on timeout throws a CheckFailure with `failure`'s message.
 */
export async function pollProbe<T>(options: PollProbeOptions<T>): Promise<T> {
  const series = new ProbeSeries(options.evidence, options.title);
  let last = 'no attempt finished';
  try {
    return await poll({
      what: options.what,
      deadline: options.deadline,
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
      attempt: async () => {
        const o = await options.attempt();
        last = o.summary;
        series.add(o.probe, o.summary);
        return { done: o.done, state: o.state, summary: o.summary };
      },
    });
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    series.record();
    throw new CheckFailure(
      `${options.failure(last, error.deadline)} (waited ${(error.elapsedMs / 1000).toFixed(1)} s, ${error.attempts} attempts)`,
      options.evidence,
    );
  } finally {
    series.record();
  }
}
