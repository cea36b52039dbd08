/**
 * The cleanup stack. A resource's removal is registered the moment the resource is created;
 * at the end of a run (passed, failed or interrupted) the steps run in reverse order, each with a
 * fresh deadline. "Already gone" (NotFound) is success; any other failure is reported loudly,
 * after every remaining step has still been tried.
 */
import { withDeadline } from './deadline.ts';
import { messageOf } from './errors.ts';
import { timeout } from './timeouts.ts';

/** One registered removal. */
interface Step {
  readonly description: string;
  readonly run: (signal: AbortSignal) => Promise<void>;
  /** This step's own budget in ms, when it waits longer than one removal (default: the stack's). */
  readonly budgetMs?: number;
}

/** What running the stack did. */
export interface CleanupReport {
  /** Descriptions of the steps that ran, in the order they ran. */
  readonly ran: readonly string[];
  /** Steps that failed, with their error messages. */
  readonly failed: readonly { readonly description: string; readonly error: string }[];
}

/** Thrown by {@link CleanupStack.runAll} when a step failed; every step was still attempted. */
export class CleanupError extends Error {
  /** The full report. */
  readonly report: CleanupReport;
  constructor(report: CleanupReport) {
    super(
      `cleanup failed for ${report.failed.length} of ${report.ran.length} step(s):\n` +
        report.failed.map((f) => `  - ${f.description}: ${f.error}`).join('\n'),
    );
    this.name = 'CleanupError';
    this.report = report;
  }
}

/** True for errors that mean the object is already gone: HTTP 404 or a NotFound status. */
export function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; statusCode?: unknown; body?: unknown };
  if (e.code === 404 || e.statusCode === 404) return true;
  const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? '');
  return /"reason":\s*"NotFound"/.test(body);
}

/** Options of {@link CleanupStack}. */
export interface CleanupOptions {
  /** Budget per step in ms (default: the cleanupStep deadline). */
  readonly stepBudgetMs?: number;
  /** Receives one line per step. */
  readonly log?: (line: string) => void;
}

/** A LIFO stack of removals; see the file comment. */
export class CleanupStack {
  private readonly steps: Step[] = [];
  private running: Promise<CleanupReport> | undefined;
  private readonly options: CleanupOptions;

  constructor(options: CleanupOptions = {}) {
    this.options = options;
  }

  /**
   * Registers a removal; it will run before every removal registered earlier. `budgetMs` gives
   * the step a budget of its own (a step that waits for several removals to finish).
   */
  defer(description: string, run: (signal: AbortSignal) => Promise<void>, budgetMs?: number): void {
    this.steps.push({ description, run, ...(budgetMs === undefined ? {} : { budgetMs }) });
  }

  /** Number of steps not yet run. */
  get size(): number {
    return this.steps.length;
  }

  /**
   * Runs every registered step, newest first, and empties the stack. Calls made while a run is
   * in progress (a signal arriving during normal cleanup) join the same run.
   * @throws {CleanupError} when any step failed for a reason other than NotFound.
   */
  async runAll(): Promise<CleanupReport> {
    this.running ??= this.drain();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async drain(): Promise<CleanupReport> {
    const budget = this.options.stepBudgetMs ?? timeout('cleanupStep');
    const ran: string[] = [];
    const failed: { description: string; error: string }[] = [];
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      ran.push(step.description);
      try {
        await withDeadline(`cleanup "${step.description}"`, step.budgetMs ?? budget, step.run);
        this.options.log?.(`cleaned up: ${step.description}`);
      } catch (error) {
        if (isNotFound(error)) {
          this.options.log?.(`cleaned up: ${step.description} (already gone)`);
        } else {
          failed.push({ description: step.description, error: messageOf(error) });
          this.options.log?.(`cleanup FAILED: ${step.description}: ${messageOf(error)}`);
        }
      }
    }
    const report = { ran, failed };
    if (failed.length > 0) throw new CleanupError(report);
    return report;
  }
}

/** Options of {@link cleanupOnSignals}. */
export interface InterruptOptions {
  /** Called first, with what ended the run: the signal, or "timeout" for `deadline`. */
  readonly onInterrupt?: (cause: NodeJS.Signals | 'timeout') => void;
  /** Ends the run like SIGTERM after `ms`, with exit code `code` (a run's --timeout). */
  readonly deadline?: { readonly ms: number; readonly code: number };
}

/**
 * Makes SIGINT and SIGTERM (and `options.deadline`, when it passes) run the stack before the
 * process exits (130 and 143, the shell conventions; the deadline's own code). A second signal
 * during cleanup exits at once. Returns a function that removes the handlers and the deadline.
 */
export function cleanupOnSignals(
  stack: CleanupStack,
  log: (line: string) => void = console.error,
  options: InterruptOptions = {},
): () => void {
  let interrupted = false;
  const interrupt = (cause: NodeJS.Signals | 'timeout', code: number): void => {
    if (interrupted) {
      log(`${cause} again: exiting without finishing cleanup`);
      process.exit(code);
    }
    interrupted = true;
    options.onInterrupt?.(cause);
    const what = cause === 'timeout' ? 'the deadline passed' : cause;
    log(`${what}: cleaning up ${stack.size} resource(s) before exiting`);
    stack.runAll().then(
      () => process.exit(code),
      (error: unknown) => {
        log(messageOf(error));
        process.exit(code);
      },
    );
  };
  const handler = (signal: NodeJS.Signals): void => {
    interrupt(signal, signal === 'SIGINT' ? 130 : 143);
  };
  const { deadline } = options;
  const timer =
    deadline === undefined
      ? undefined
      : setTimeout(() => {
          interrupt('timeout', deadline.code);
        }, deadline.ms);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    clearTimeout(timer);
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
