/**
 * A check is a small declarative object, one per file: a sentence that names what it verifies,
 * an optional requirement that skips it with a reason, and an `assess` that probes the cluster,
 * records evidence and throws a {@link CheckFailure} naming what it observed.
 */
import type { ClusterFacts } from './cluster-facts.ts';
import type { Evidence } from './evidence.ts';
import type { SuiteContext } from './suite-context.ts';

/** One check of an area whose shared fixtures are of type F. */
export interface Check<F> {
  /** Stable id: <area>/<file name without .ts>. */
  readonly id: string;
  /** The sentence shown in reports: what holds when the check passes. */
  readonly title: string;
  /** Returns a reason to skip on this cluster, or undefined when the check applies. */
  readonly skipUnless?: (facts: ClusterFacts) => string | undefined;
  /** Probes the cluster; throws CheckFailure (with evidence) when the expectation does not hold. */
  readonly assess: (ctx: SuiteContext, fixtures: F, evidence: Evidence) => Promise<void>;
}

/** Identity function that gives a check its type (and a place for future validation). */
export function defineCheck<F>(check: Check<F>): Check<F> {
  return check;
}
