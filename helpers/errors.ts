/**
 * Errors that end a run, and the exit codes they map to:
 * 0 every applicable check passed, 1 a check failed, 2 usage or set-up error.
 */

/** Exit codes of the netconform command. */
export const ExitCode = {
  Passed: 0,
  ChecksFailed: 1,
  SetupError: 2,
} as const;

/**
 * A problem with the input or the machine (bad kubeconfig, unreachable API, Docker missing,
 * unknown suite): the run cannot start. The message names the problem, `fix` says what to do.
 */
export class SetupError extends Error {
  /** What the user should do about it, as an imperative sentence. */
  readonly fix: string;

  constructor(problem: string, fix: string, options?: ErrorOptions) {
    super(problem, options);
    this.name = 'SetupError';
    this.fix = fix;
  }

  /** The problem and the fix as printed to the terminal. */
  render(): string {
    return `error: ${this.message}\n  fix: ${this.fix}`;
  }
}

/** The message of any thrown value, for logs and evidence. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  // WebSocket error events and some client errors are plain objects with a message.
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message } = error;
    if (typeof message === 'string' && message !== '') return message;
  }
  return String(error);
}

/**
 * The message of a thrown value followed by the messages of its causes ("fetch failed (cause:
 * other side closed)"): fetch() hides why a connection failed in `cause`.
 */
export function messageWithCauses(error: unknown): string {
  const parts = [messageOf(error)];
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 3; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    const text = messageOf(cause);
    parts.push(typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return parts.join(' (cause: ') + ')'.repeat(parts.length - 1);
}
