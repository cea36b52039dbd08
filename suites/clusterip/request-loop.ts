/**
 * Many HTTP requests from the client pod in ONE exec: a shell loop runs curl once per request
 * (a new process, so a new TCP connection and a new load-balancing decision each time) and prints
 * one tab-separated line per request: sequence, URL, start and end (ms, the pod's clock), curl's
 * exit code, the first line of the body ("This is <pod name>" for our backends) and the first line
 * of curl's error. The lines are parsed into {@link LoopRequest}s with a named outcome each.
 */
import { classifyCurl, ConnectOutcome } from '../../helpers/outcomes.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { probeSeconds, timeout } from '../../helpers/timeouts.ts';
import type { SuiteContext } from '../framework/suite-context.ts';

/** How the loop runs. */
export interface LoopOptions {
  /** Requested in turn, `rounds` times (or until `durationMs` has passed). */
  readonly urls: readonly string[];
  /** Number of passes over `urls` (ignored when durationMs is set). */
  readonly rounds?: number;
  /** Keep going until this much time has passed since the loop started. */
  readonly durationMs?: number;
  /** Pause between requests in seconds (default 0: back to back). */
  readonly paceSeconds?: number;
  /** curl --connect-timeout and --max-time, in seconds (defaults 1 and 2; both scaled by probeSeconds). */
  readonly connectTimeoutSeconds?: number;
  readonly maxTimeSeconds?: number;
  /** A file in the client pod where the loop writes how many requests it has sent so far. */
  readonly progressFile?: string;
  /** A file in the client pod whose creation ends the loop before its next request (removed at start). */
  readonly stopFile?: string;
  /** Record each request's start and end time (two `date` processes per request); default false. */
  readonly timestamps?: boolean;
}

/** One request of a loop. */
export interface LoopRequest {
  readonly seq: number;
  readonly url: string;
  /** Start and end in ms on the pod's clock; 0 unless the loop ran with timestamps. */
  readonly startMs: number;
  readonly endMs: number;
  readonly exitCode: number;
  readonly outcome: ConnectOutcome;
  /** The pod that answered ("This is <name>"), when the answer named one. */
  readonly backend: string | undefined;
  readonly error: string;
}

/** The loop's probe record and its parsed requests. */
export interface LoopResult {
  readonly probe: ProbeResult;
  readonly requests: readonly LoopRequest[];
}

// $1 rounds, $2 duration ms (0: use rounds), $3 pace s, $4 connect timeout, $5 max time,
// $6 progress file ("" for none), $7 timestamps (1 or 0), $8 stop file ("" for none), then the URLs.
// The duration test reuses the last request's end time when there is one: on an emulated node every
// process costs about a second, so the loop starts as few as it can.
const script = `
rounds=$1; duration=$2; pace=$3; ct=$4; mt=$5; progress=$6; stamps=$7; stop=$8; shift 8
t0=0; t1=0
b=/tmp/knc-body.$$; e=/tmp/knc-err.$$
[ -n "$stop" ] && rm -f "$stop"
i=0; round=0; start=$(date +%s%3N)
while :; do
  [ -n "$stop" ] && [ -e "$stop" ] && break
  if [ "$duration" -gt 0 ]; then
    now=$t1; [ "$now" -gt 0 ] || now=$(date +%s%3N)
    [ $(( now - start )) -ge "$duration" ] && break
  else
    [ "$round" -ge "$rounds" ] && break
  fi
  round=$((round + 1))
  for url in "$@"; do
    i=$((i + 1)); : > $b; : > $e
    [ "$stamps" = 1 ] && t0=$(date +%s%3N)
    curl -sS --connect-timeout "$ct" --max-time "$mt" -o $b "$url" 2> $e
    rc=$?
    [ "$stamps" = 1 ] && t1=$(date +%s%3N)
    line=; read -r line < $b; err=; read -r err < $e
    printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' "$i" "$url" "$t0" "$t1" "$rc" "$line" "$err"
    [ -n "$progress" ] && echo "$i" > "$progress"
    [ "$pace" = 0 ] || sleep "$pace"
  done
done
rm -f $b $e
`;

/** The argv of a loop, for exec in a netshoot container. */
export function loopCommand(options: LoopOptions): string[] {
  return [
    'sh',
    '-c',
    script,
    'request-loop',
    String(options.rounds ?? 1),
    String(options.durationMs ?? 0),
    String(options.paceSeconds ?? 0),
    String(probeSeconds(options.connectTimeoutSeconds ?? 1)),
    String(probeSeconds(options.maxTimeSeconds ?? 2)),
    options.progressFile ?? '',
    options.timestamps === true || options.durationMs !== undefined ? '1' : '0',
    options.stopFile ?? '',
    ...options.urls,
  ];
}

/** Parses the loop's output lines; lines that are not request records are ignored. */
export function parseLoop(stdout: string): LoopRequest[] {
  const out: LoopRequest[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.split('\t');
    if (f.length < 7 || !/^\d+$/.test(f[0] ?? '')) continue;
    const exitCode = Number(f[4]);
    const error = f[6] ?? '';
    const outcome = classifyCurl({ exitCode, stderr: error });
    out.push({
      seq: Number(f[0]),
      url: f[1] ?? '',
      startMs: Number(f[2]),
      endMs: Number(f[3]),
      exitCode,
      outcome,
      backend:
        outcome === ConnectOutcome.Reached ? /^This is (\S+)/.exec(f[5] ?? '')?.[1] : undefined,
      error,
    });
  }
  return out;
}

/**
 * Runs a loop in the client pod's netshoot container. The exec's budget covers the loop: its
 * duration (or every request at its max time) plus the probeExec deadline for the exec itself.
 */
export async function runLoop(
  ctx: SuiteContext,
  clientPod: string,
  options: LoopOptions,
): Promise<LoopResult> {
  const perRequest = probeSeconds(options.maxTimeSeconds ?? 2) + (options.paceSeconds ?? 0);
  const worstCase =
    options.durationMs !== undefined
      ? options.durationMs + perRequest * 1000
      : (options.rounds ?? 1) * options.urls.length * perRequest * 1000;
  const probe = await ctx.exec(
    clientPod,
    'netshoot',
    loopCommand(options),
    worstCase + timeout('probeExec'),
  );
  return { probe, requests: parseLoop(probe.stdout) };
}

/** "Reached 298, TimedOut 2": how many requests ended in each outcome. */
export function outcomeCounts(requests: readonly LoopRequest[]): string {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${k} ${v}`).join(', ') || 'no requests';
}

/** The URL of a Service IP and port (IPv6 literals bracketed). */
export function serviceURL(ip: string, port = 80, path = '/'): string {
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}${path}`;
}
