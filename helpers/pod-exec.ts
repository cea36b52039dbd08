/**
 * Runs a command in a pod's container through the API server's exec endpoint (the same path as
 * `kubectl exec`) and returns a {@link ProbeResult}. Transport failures (stream lost before the
 * command's status arrived) are inconclusive, so they alone are retried, a bounded number of
 * times, and every attempt is kept in the result. A non-zero exit code is a result, never retried.
 */
import { Writable } from 'node:stream';
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import { withDeadline } from './deadline.ts';
import { messageOf } from './errors.ts';
import type { ProbeAttempt, ProbeResult } from './probe-result.ts';
import { timeout } from './timeouts.ts';

/** The container a command runs in. */
export interface ExecTarget {
  readonly namespace: string;
  readonly pod: string;
  /** Container name; required for pods with more than one container. */
  readonly container: string;
}

/** What one exec transport call returned. */
export interface RawExec {
  readonly stdout: string;
  readonly stderr: string;
  /** Null when the command's status never arrived. */
  readonly exitCode: number | null;
  /** Why the call was inconclusive, when it was. */
  readonly transportError?: string;
}

/** One exec call; the real one talks to the API server, unit tests pass a scripted one. */
export type ExecTransport = (
  target: ExecTarget,
  command: readonly string[],
  budgetMs: number,
) => Promise<RawExec>;

/** The part of the exec channel's final V1Status that carries the command's exit. */
export interface ExecStatus {
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: {
    readonly causes?: readonly { readonly reason?: string; readonly message?: string }[];
  };
}

/** Exit code carried by the exec status: 0 on Success, the ExitCode cause on NonZeroExitCode. */
export function exitCodeFromStatus(status: ExecStatus): number | null {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message !== undefined) {
    const code = Number(cause.message);
    if (Number.isInteger(code)) return code;
  }
  return null;
}

class Collector extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** The exec transport of a real cluster: a websocket to pods/exec, bounded by `budgetMs`. */
export function apiServerExec(kubeConfig: KubeConfig): ExecTransport {
  const exec = new Exec(kubeConfig);
  return async (target, command, budgetMs) => {
    const stdout = new Collector();
    const stderr = new Collector();
    let status: ExecStatus | undefined;
    try {
      await withDeadline(`exec in ${target.namespace}/${target.pod}`, budgetMs, async (signal) => {
        const socket = await exec.exec(
          target.namespace,
          target.pod,
          target.container,
          [...command],
          stdout,
          stderr,
          null,
          false,
          (s) => {
            status = s;
          },
        );
        signal.addEventListener('abort', () => {
          socket.close();
        });
        await new Promise<void>((resolve, reject) => {
          socket.on('close', () => {
            resolve();
          });
          socket.on('error', reject);
        });
      });
    } catch (error) {
      return {
        stdout: stdout.text(),
        stderr: stderr.text(),
        exitCode: null,
        transportError: messageOf(error),
      };
    }
    if (status === undefined) {
      return {
        stdout: stdout.text(),
        stderr: stderr.text(),
        exitCode: null,
        transportError: 'the exec stream closed before the command status arrived',
      };
    }
    const exitCode = exitCodeFromStatus(status);
    return exitCode === null
      ? {
          stdout: stdout.text(),
          stderr: stderr.text(),
          exitCode,
          transportError: `exec failed: ${status.message ?? status.reason ?? 'unknown'}`,
        }
      : { stdout: stdout.text(), stderr: stderr.text(), exitCode };
  };
}

/** Options of {@link execInPod}. */
export interface ExecOptions {
  /** Attempts in all, first included (default 3). */
  readonly maxAttempts?: number;
  /** Budget of one attempt in ms (default: the probeExec deadline). */
  readonly budgetMs?: number;
  /** Receives one line per retried attempt. */
  readonly log?: (line: string) => void;
}

/** Runs `command` in `target` and returns every attempt's record in a {@link ProbeResult}. */
export async function execInPod(
  transport: ExecTransport,
  target: ExecTarget,
  command: readonly string[],
  options: ExecOptions = {},
): Promise<ProbeResult> {
  const maxAttempts = options.maxAttempts ?? 3;
  const budgetMs = options.budgetMs ?? timeout('probeExec');
  const where = `pod ${target.namespace}/${target.pod}[${target.container}]`;
  const attempts: ProbeAttempt[] = [];
  const started = performance.now();
  let last: RawExec = { stdout: '', stderr: '', exitCode: null };
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const t0 = performance.now();
    last = await transport(target, command, budgetMs);
    const durationMs = Math.round(performance.now() - t0);
    attempts.push(
      last.transportError === undefined
        ? { attempt, exitCode: last.exitCode, durationMs }
        : { attempt, exitCode: last.exitCode, durationMs, transportError: last.transportError },
    );
    if (last.transportError === undefined) break;
    if (attempt < maxAttempts) {
      options.log?.(`${where}: attempt ${attempt} inconclusive (${last.transportError}); retrying`);
    }
  }
  return {
    where,
    command,
    stdout: last.stdout,
    stderr: last.stderr,
    exitCode: last.exitCode,
    durationMs: Math.round(performance.now() - started),
    attempts,
  };
}
