/**
 * Expected-versus-observed tables for rule checks: each row names one item (a rule position, an
 * endpoint, a set membership), what was expected of it and what the dump showed. Checks print the
 * whole table, mismatches marked, so expected, observed and the difference are read together.
 */

/** One compared item. */
export interface ComparisonRow {
  /** What is compared: "rule 2", "endpoint 10.244.1.4:80", "cluster-ips set". */
  readonly item: string;
  readonly expected: string;
  readonly observed: string;
}

/** Rows whose observed value differs from the expected one. */
export function mismatches(rows: readonly ComparisonRow[]): ComparisonRow[] {
  return rows.filter((r) => r.expected !== r.observed);
}

/** The rows as an aligned table with a header; differing rows are marked with "✗". */
export function renderComparison(rows: readonly ComparisonRow[]): string {
  const header: ComparisonRow = { item: 'item', expected: 'expected', observed: 'observed' };
  const all = [header, ...rows];
  const itemWidth = Math.max(...all.map((r) => r.item.length));
  const expectedWidth = Math.max(...all.map((r) => r.expected.length));
  return all
    .map((r, i) => {
      const mark = i === 0 ? ' ' : r.expected === r.observed ? ' ' : '✗';
      return `${mark} ${r.item.padEnd(itemWidth)}  ${r.expected.padEnd(expectedWidth)}  ${r.observed}`;
    })
    .join('\n');
}

/**
 * One row per endpoint of the union of `expected` and `observed`: expected "1 rule" for each
 * expected endpoint and "none" for the others, observed the number of times the dump names it.
 */
export function endpointRows(
  expected: readonly string[],
  observed: readonly string[],
  unit: string,
): ComparisonRow[] {
  const count = (n: number): string => (n === 0 ? 'none' : `${n} ${unit}${n === 1 ? '' : 's'}`);
  const all = [...new Set([...expected, ...observed])].sort();
  return all.map((endpoint) => ({
    item: `endpoint ${endpoint}`,
    expected: count(expected.filter((e) => e === endpoint).length),
    observed: count(observed.filter((o) => o === endpoint).length),
  }));
}
