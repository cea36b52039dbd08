/**
 * How the rounds of a repeated probe (repeat-probe.ts) become evidence. A repeated probe can run
 * dozens of times before its deadline; the policies keep the record readable while every round
 * stays accounted for.
 */
import type { ProbeResult } from '../../helpers/probe-result.ts';
import type { Evidence } from './evidence.ts';

/**
 * The recording policies:
 * - `changes` (default): a round in full when what it observed differs from the round before,
 *   otherwise a one-line note naming the round recorded in full; a round that threw as a note.
 *   Suits probes whose observation repeats while nothing changes (a verdict, an outcome).
 * - `first-and-last`: the first and the last round in full, plus one note listing every round
 *   ("attempt N: …"). Suits probes whose observation varies every round (counts per backend).
 * - `last`: only the last round in full, titled by the title alone (a control probe).
 */
export type RoundRecording = 'changes' | 'first-and-last' | 'last';

/** One ended round: its probe and observation, or the message of the error it threw. */
export type RoundEntry =
  | { readonly round: number; readonly probe: ProbeResult; readonly observed: string }
  | { readonly round: number; readonly error: string };

/** Records the rounds of one repeated probe as they end. */
export interface RoundRecorder {
  /** Takes one ended round. */
  add(entry: RoundEntry): void;
  /** Called once after the last round: records what the policy keeps until the end. */
  finish(): void;
}

/** Options of {@link roundRecorder}. */
export interface RoundRecorderOptions {
  readonly evidence: Evidence;
  /** The probe's title in the evidence; each policy adds the round to it. */
  readonly title: string;
  readonly record: RoundRecording;
  /** With `changes`: a round recorded in full is titled "<title> (round N): <observed>". */
  readonly observedInTitle?: boolean;
}

/** "exit 0 in 120 ms" (exit "none" when the probe's transport failed). */
function exitLine(probe: ProbeResult): string {
  return `exit ${probe.exitCode ?? 'none'} in ${probe.durationMs} ms`;
}

function recordChanges(o: RoundRecorderOptions): RoundRecorder {
  let previous: { round: number; observed: string } | undefined;
  return {
    add: (entry) => {
      const title = `${o.title} (round ${entry.round})`;
      if ('error' in entry) {
        o.evidence.note(title, `error: ${entry.error}`);
        previous = undefined;
      } else if (previous?.observed === entry.observed) {
        o.evidence.note(
          title,
          `${exitLine(entry.probe)}: ${entry.observed}, as in round ${previous.round} (recorded in full there)`,
        );
      } else {
        o.evidence.probe(
          o.observedInTitle === true ? `${title}: ${entry.observed}` : title,
          entry.probe,
        );
        previous = { round: entry.round, observed: entry.observed };
      }
    },
    finish: () => undefined,
  };
}

function recordFirstAndLast(o: RoundRecorderOptions): RoundRecorder {
  const lines: string[] = [];
  let first: { round: number; probe: ProbeResult } | undefined;
  let last: { round: number; probe: ProbeResult } | undefined;
  return {
    add: (entry) => {
      if ('error' in entry) {
        lines.push(`attempt ${entry.round}: error: ${entry.error}`);
        return;
      }
      first ??= entry;
      last = entry;
      lines.push(`attempt ${entry.round}: ${exitLine(entry.probe)}: ${entry.observed}`);
    },
    finish: () => {
      const n = lines.length;
      if (n === 0) return;
      if (first !== undefined)
        o.evidence.probe(`${o.title} (attempt ${first.round} of ${n})`, first.probe);
      if (last !== undefined && last !== first) {
        o.evidence.probe(`${o.title} (attempt ${last.round} of ${n})`, last.probe);
      }
      if (n > 1 || first === undefined)
        o.evidence.note(`${o.title}: every attempt`, lines.join('\n'));
    },
  };
}

function recordLast(o: RoundRecorderOptions): RoundRecorder {
  let last: ProbeResult | undefined;
  return {
    add: (entry) => {
      if (!('error' in entry)) last = entry.probe;
    },
    finish: () => {
      if (last !== undefined) o.evidence.probe(o.title, last);
    },
  };
}

/** A recorder that writes the rounds into `options.evidence` by the policy `options.record`. */
export function roundRecorder(options: RoundRecorderOptions): RoundRecorder {
  switch (options.record) {
    case 'changes':
      return recordChanges(options);
    case 'first-and-last':
      return recordFirstAndLast(options);
    case 'last':
      return recordLast(options);
  }
}
