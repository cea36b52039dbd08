/**
 * Evidence a check gathers while it runs: probe records, DNS answers, rule dumps, tables.
 * It is printed only when the check fails (quiet on success), and attached to the report.
 */
import { renderProbe, type ProbeResult } from '../../helpers/probe-result.ts';

/** One piece of evidence: a title and a text body. */
export interface EvidenceItem {
  readonly title: string;
  readonly body: string;
}

/** The evidence log of one check. */
export class Evidence {
  readonly items: EvidenceItem[] = [];
  /** What the check saw, in a few words, when its behaviour differs between kube-proxy modes. */
  observed: string | undefined;

  /**
   * Records the check's observation in a few words (it goes to summary.json and the mode
   * comparison table); also kept as an evidence item.
   */
  observe(value: string): void {
    this.observed = value;
    this.items.push({ title: 'observed', body: value });
  }

  /** Adds a free-form item. */
  note(title: string, body: string): void {
    this.items.push({ title, body });
  }

  /** Adds a probe's full record and returns the probe for chaining. */
  probe(title: string, result: ProbeResult): ProbeResult {
    this.items.push({ title, body: renderProbe(result) });
    return result;
  }

  /** Renders every item for a failure message or an attachment. */
  render(): string {
    return this.items.map((i) => `=== ${i.title} ===\n${i.body}`).join('\n\n');
  }
}

/** A check's verdict that it failed: what was expected, what was observed, and the evidence. */
export class CheckFailure extends Error {
  readonly evidence: Evidence;
  constructor(message: string, evidence: Evidence) {
    super(`${message}\n\n${evidence.render()}`);
    this.name = 'CheckFailure';
    this.evidence = evidence;
  }
}
