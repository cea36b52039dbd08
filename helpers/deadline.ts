/**
 * Bounds one promise by a time budget. Used where a single operation (a cleanup step, one exec)
 * must not hang a run; waiting for a condition goes through poll.ts instead.
 */

/** Thrown by {@link withDeadline} when the budget passes first. */
export class DeadlineExceededError extends Error {
  constructor(what: string, budgetMs: number) {
    super(`${what} did not finish within ${(budgetMs / 1000).toFixed(1)} s`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Runs `work` with an AbortSignal that fires at the deadline; rejects with
 * {@link DeadlineExceededError} if `work` has not settled by then.
 */
export async function withDeadline<T>(
  what: string,
  budgetMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineExceededError(what, budgetMs));
    }, budgetMs);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
