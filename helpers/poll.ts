/**
 * The one wait loop of the project. Every wait (pods ready, endpoints converged, rules
 * programmed, DNS updated) goes through {@link poll} with a named deadline from timeouts.ts,
 * so that a timeout always says what was awaited, for how long, and the last state seen.
 */
import { systemClock, type Clock } from './clock.ts';
import { timeout, type TimeoutName } from './timeouts.ts';

/** What one attempt of a poll observed. */
export interface PollObservation<T> {
  /** True when the awaited condition holds. */
  readonly done: boolean;
  /** What was observed, kept as "last state" for the timeout message and returned on success. */
  readonly state: T;
  /** A one-line description of the state for messages; defaults to JSON of `state`. */
  readonly summary?: string;
}

/** Options of {@link poll}. */
export interface PollOptions<T> {
  /** What is awaited, as a phrase: "3 nginx pods Ready in ns x". */
  readonly what: string;
  /** The named deadline; the budget is timeout(deadline) unless `budgetMs` is given. */
  readonly deadline: TimeoutName;
  /** An explicit budget in ms (already scaled); overrides the named deadline's value. */
  readonly budgetMs?: number;
  /** Pause between attempts in ms (default 500). */
  readonly intervalMs?: number;
  /** One attempt. Throwing counts as an observation that is not done (the error is the state). */
  readonly attempt: () => Promise<PollObservation<T>>;
  /** Clock, replaced in unit tests. */
  readonly clock?: Clock;
}

/** Thrown when a poll's deadline passes; carries the last observation. */
export class PollTimeoutError extends Error {
  /** The named deadline that passed. */
  readonly deadline: TimeoutName;
  /** Milliseconds waited. */
  readonly elapsedMs: number;
  /** Number of attempts made. */
  readonly attempts: number;
  /** Summary of the last observation. */
  readonly lastState: string;

  constructor(
    what: string,
    deadline: TimeoutName,
    elapsedMs: number,
    attempts: number,
    lastState: string,
  ) {
    super(
      `timed out after ${(elapsedMs / 1000).toFixed(1)} s (deadline "${deadline}") waiting for ${what}; ` +
        `${attempts} attempt(s); last state: ${lastState}`,
    );
    this.name = 'PollTimeoutError';
    this.deadline = deadline;
    this.elapsedMs = elapsedMs;
    this.attempts = attempts;
    this.lastState = lastState;
  }
}

function describe<T>(observation: PollObservation<T>): string {
  if (observation.summary !== undefined) return observation.summary;
  const json = JSON.stringify(observation.state);
  return json.length > 500 ? `${json.slice(0, 500)}…` : json;
}

/**
 * Calls `attempt` until it reports done or the deadline passes. Returns the state of the
 * successful observation; throws {@link PollTimeoutError} with the last state otherwise.
 * The final attempt is made at the deadline, so a condition that becomes true late still counts.
 */
export async function poll<T>(options: PollOptions<T>): Promise<T> {
  const clock = options.clock ?? systemClock;
  const interval = options.intervalMs ?? 500;
  const budget = options.budgetMs ?? timeout(options.deadline);
  const start = clock.now();
  let attempts = 0;
  let last: string;
  for (;;) {
    attempts += 1;
    try {
      const observation = await options.attempt();
      if (observation.done) return observation.state;
      last = describe(observation);
    } catch (error) {
      last = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    const elapsed = clock.now() - start;
    if (elapsed >= budget) {
      throw new PollTimeoutError(options.what, options.deadline, elapsed, attempts, last);
    }
    await clock.sleep(Math.min(interval, budget - elapsed));
  }
}
