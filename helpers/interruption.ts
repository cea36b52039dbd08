/**
 * The interruption a stream of requests saw while something changed under it (a backend deleted,
 * a rule reprogrammed): how many requests failed, the longest time without a successful answer,
 * and whether the last requests all succeeded again (recovery).
 */

/** One request of a timed stream, as the client saw it. */
export interface TimedRequest {
  /** 1-based position in the stream. */
  readonly seq: number;
  /** When the request started and ended, in ms on the client's clock. */
  readonly startMs: number;
  readonly endMs: number;
  /** True when the request counts as successful for the stream's purpose. */
  readonly ok: boolean;
}

/** What {@link summarizeInterruption} found. */
export interface InterruptionSummary {
  readonly total: number;
  readonly failed: number;
  /** Longest time between two consecutive successful answers (ends), or since the stream's start. */
  readonly longestGapMs: number;
  /** The successful requests bounding the longest gap (undefined at the stream's start or end). */
  readonly longestGapAfterSeq: number | undefined;
  readonly longestGapBeforeSeq: number | undefined;
  /** Sequence numbers of the first and last failed requests. */
  readonly firstFailedSeq: number | undefined;
  readonly lastFailedSeq: number | undefined;
  /** How many requests the tail holds, and whether all of them succeeded. */
  readonly tailSize: number;
  readonly tailOk: boolean;
}

/**
 * Summarizes a stream (in any order; it is sorted by seq). The tail is the last `tailSize`
 * requests; a stream shorter than that has no complete tail, so `tailOk` is false.
 */
export function summarizeInterruption(
  requests: readonly TimedRequest[],
  tailSize: number,
): InterruptionSummary {
  const sorted = [...requests].sort((a, b) => a.seq - b.seq);
  const failed = sorted.filter((r) => !r.ok);
  let longestGapMs = 0;
  let after: number | undefined;
  let before: number | undefined;
  let lastOk: TimedRequest | undefined;
  const streamStart = sorted[0]?.startMs ?? 0;
  for (const r of sorted) {
    if (!r.ok) continue;
    const gap = r.endMs - (lastOk?.endMs ?? streamStart);
    if (gap > longestGapMs) {
      longestGapMs = gap;
      after = lastOk?.seq;
      before = r.seq;
    }
    lastOk = r;
  }
  const streamEnd = sorted.at(-1)?.endMs ?? streamStart;
  const trailing = streamEnd - (lastOk?.endMs ?? streamStart);
  if (trailing > longestGapMs) {
    longestGapMs = trailing;
    after = lastOk?.seq;
    before = undefined;
  }
  const tail = sorted.slice(-tailSize);
  return {
    total: sorted.length,
    failed: failed.length,
    longestGapMs,
    longestGapAfterSeq: after,
    longestGapBeforeSeq: before,
    firstFailedSeq: failed[0]?.seq,
    lastFailedSeq: failed.at(-1)?.seq,
    tailSize,
    tailOk: tailSize > 0 && tail.length === tailSize && tail.every((r) => r.ok),
  };
}
