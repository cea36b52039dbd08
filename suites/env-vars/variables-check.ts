/**
 * The comparison every env-vars check ends with: the expected table against the pod's observed
 * Service-shaped variables, printed together with the differences marked.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { CheckFailure, type Evidence } from '../framework/evidence.ts';
import { mismatches, renderComparison, type ComparisonRow } from '../framework/comparison.ts';

/**
 * Records the table and fails naming the differing variables, and the enableServiceLinks the pod
 * was admitted with (`pod` as stored), when any row differs.
 */
export function expectVariables(
  pod: V1Pod,
  what: string,
  rows: readonly ComparisonRow[],
  evidence: Evidence,
): void {
  const table = renderComparison(rows);
  evidence.note(`expected vs observed variables of ${pod.metadata?.name ?? '?'}`, table);
  const bad = mismatches(rows);
  if (bad.length > 0) {
    // As stored: a mutating admission webhook may have changed what the fixture asked for.
    const links = pod.spec?.enableServiceLinks;
    const admitted = `admitted with enableServiceLinks: ${links === undefined ? 'unset' : String(links)}`;
    throw new CheckFailure(
      `pod ${pod.metadata?.name ?? '?'} (${what}, ${admitted}): ${bad.length} of ${rows.length} variable(s) differ ` +
        `(${bad
          .slice(0, 4)
          .map((r) => `${r.item}: expected ${r.expected}, observed ${r.observed}`)
          .join('; ')}${bad.length > 4 ? '; …' : ''}):\n${table}`,
      evidence,
    );
  }
}
