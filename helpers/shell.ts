/**
 * Host commands (docker, kind, ip, curl on the host) through zx, always with a deadline and
 * with arguments passed as values (zx quotes each one), never as an interpolated string.
 */
import { $, type ProcessOutput } from 'zx';
import { SetupError } from './errors.ts';
import type { ProbeResult } from './probe-result.ts';
import { timeout } from './timeouts.ts';

/** Options of {@link runHost}. */
export interface HostOptions {
  /** Budget in ms (default: the shellCommand deadline). The process is killed when it passes. */
  readonly timeoutMs?: number;
  /** Data written to the command's standard input. */
  readonly input?: string;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory. */
  readonly cwd?: string;
  /** Pass the command's stderr through to ours (progress of long builds) instead of capturing it. */
  readonly passStderr?: boolean;
}

/**
 * Runs argv on the host and returns its outcome as a {@link ProbeResult}; never throws for a
 * non-zero exit. A command killed at its deadline has a null exit code and says so.
 */
export async function runHost(
  argv: readonly string[],
  options: HostOptions = {},
): Promise<ProbeResult> {
  const budget = options.timeoutMs ?? timeout('shellCommand');
  const started = performance.now();
  const shell = $({
    quiet: true,
    nothrow: true,
    timeout: budget,
    verbose: false,
    env: { ...process.env, ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.passStderr === true ? { stdio: ['pipe', 'pipe', 'inherit'] as const } : {}),
  });
  let output: ProcessOutput;
  try {
    output = await shell`${argv}`;
  } catch (error) {
    // zx rejects even with nothrow when the program cannot be spawned at all.
    const message = error instanceof Error ? error.message : String(error);
    const durationMs = Math.round(performance.now() - started);
    return {
      where: 'host',
      command: argv,
      stdout: '',
      stderr: message,
      exitCode: null,
      durationMs,
      attempts: [{ attempt: 1, exitCode: null, durationMs, transportError: message }],
    };
  }
  const durationMs = Math.round(performance.now() - started);
  const killed = output.exitCode === null;
  const transportError = killed
    ? `killed by ${output.signal ?? 'signal'}${durationMs >= budget ? ` after the ${budget} ms deadline` : ''}`
    : undefined;
  return {
    where: 'host',
    command: argv,
    stdout: output.stdout,
    stderr: output.stderr,
    exitCode: output.exitCode,
    durationMs,
    attempts: [
      transportError === undefined
        ? { attempt: 1, exitCode: output.exitCode, durationMs }
        : { attempt: 1, exitCode: null, durationMs, transportError },
    ],
  };
}

/** Thrown by {@link runHostChecked} when a command fails; carries the whole result. */
export class HostCommandError extends Error {
  /** The failed command's record. */
  readonly result: ProbeResult;
  constructor(result: ProbeResult) {
    const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n  ');
    super(
      `\`${result.command.join(' ')}\` failed (exit ${result.exitCode ?? 'none'}, ${result.durationMs} ms)${tail ? `:\n  ${tail}` : ''}`,
    );
    this.name = 'HostCommandError';
    this.result = result;
  }
}

/** Like {@link runHost}, but throws {@link HostCommandError} unless the exit code is 0. */
export async function runHostChecked(
  argv: readonly string[],
  options: HostOptions = {},
): Promise<ProbeResult> {
  const result = await runHost(argv, options);
  if (result.exitCode !== 0) throw new HostCommandError(result);
  return result;
}

/** True when `program` can be found on PATH. */
export async function onPath(program: string): Promise<boolean> {
  const result = await runHost(['sh', '-c', 'command -v "$1"', 'sh', program], { timeoutMs: 5000 });
  return result.exitCode === 0;
}

/** Throws a {@link SetupError} naming `fix` when `program` is not on PATH. */
export async function requireProgram(program: string, fix: string): Promise<void> {
  if (!(await onPath(program)))
    throw new SetupError(`${program} is not installed (not on PATH)`, fix);
}
