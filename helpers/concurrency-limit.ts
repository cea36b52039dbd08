/**
 * At most N tasks at a time; the others wait their turn in order. The API clients use one to keep
 * a set-up's burst of requests from opening a connection per request all at once.
 */
export class ConcurrencyLimit {
  /** The most tasks that run at once. */
  readonly max: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** Allows `max` tasks at a time (at least 1). */
  constructor(max: number) {
    this.max = max;
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`max must be a positive integer, got ${max}`);
  }

  /** How many tasks run now, and how many wait. */
  get load(): { readonly running: number; readonly waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Runs `task` when a slot is free, and frees the slot when it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}
