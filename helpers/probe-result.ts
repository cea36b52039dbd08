/**
 * What one probe (a command run in a pod or on the host) returned. Every check keeps these as
 * evidence: the command, both outputs, the exit code, the duration and every attempt made.
 */

/** One try of a probe; several exist only when transport failures were retried. */
export interface ProbeAttempt {
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Exit code, or null when the transport failed before the command's status arrived. */
  readonly exitCode: number | null;
  /** Wall time of the try in ms. */
  readonly durationMs: number;
  /** Why the try was inconclusive, when it was. */
  readonly transportError?: string;
}

/** The outcome of a probe command. */
export interface ProbeResult {
  /** Where the command ran: "pod ns/name[container]" or "host". */
  readonly where: string;
  /** The command as argv. */
  readonly command: readonly string[];
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code of the last attempt; null when no attempt reached the command's status. */
  readonly exitCode: number | null;
  /** Total wall time in ms, all attempts included. */
  readonly durationMs: number;
  /** Every attempt, in order. */
  readonly attempts: readonly ProbeAttempt[];
}

/** A printable record of a probe for evidence attachments. */
export function renderProbe(result: ProbeResult): string {
  const lines = [
    `where: ${result.where}`,
    `command: ${result.command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ')}`,
    `exit code: ${result.exitCode === null ? 'none (transport failure)' : String(result.exitCode)}`,
    `duration: ${result.durationMs} ms`,
  ];
  if (result.attempts.length > 1 || result.attempts.some((a) => a.transportError !== undefined)) {
    for (const a of result.attempts) {
      lines.push(
        `attempt ${a.attempt}: exit ${a.exitCode ?? 'none'} in ${a.durationMs} ms${a.transportError === undefined ? '' : ` (${a.transportError})`}`,
      );
    }
  }
  lines.push('--- stdout ---', result.stdout.trimEnd(), '--- stderr ---', result.stderr.trimEnd());
  return lines.join('\n');
}
