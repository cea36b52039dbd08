import type { Clock } from './clock.ts';

/**
 * A clock for unit tests: time only moves when something sleeps (or when `advance` is called),
 * so waits of minutes complete instantly and deterministically.
 */
export class FakeClock implements Clock {
  private current = 0;
  /** Every sleep requested, in order, in ms. */
  readonly sleeps: number[] = [];

  /** Current fake time in ms. */
  now(): number {
    return this.current;
  }

  /** Records the sleep and moves time forward by `ms` at once. */
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
    return Promise.resolve();
  }

  /** Moves time forward without sleeping (models slow attempts). */
  advance(ms: number): void {
    this.current += ms;
  }
}
