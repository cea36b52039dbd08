/**
 * The few lines `netconform run` prints at the end: a table of areas with passed, failed and
 * skipped checks, then each failing check with the first line of its failure, then where the
 * reports are. Rendered from the summary (summary.json), so it says exactly what the files say.
 */
import { areaCounts, type Summary } from './summary.ts';

/** The terminal summary of `summary`, ending with a newline. */
export function renderTerminalSummary(summary: Summary): string {
  const rows = areaCounts(summary).map((r) => [
    r.area,
    String(r.passed),
    String(r.failed),
    String(r.skipped),
  ]);
  const t = summary.totals;
  const table = [
    ['area', 'passed', 'failed', 'skipped'],
    ...rows,
    ['total', String(t.passed), String(t.failed), String(t.skipped)],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = table.map(line);
  const failed = summary.checks.filter((c) => c.status === 'failed');
  if (failed.length > 0 || summary.suiteErrors.length > 0) {
    out.push('', 'failed:');
    for (const c of failed) out.push(`  ${c.id}: ${c.reason ?? ''}`);
    for (const e of summary.suiteErrors) out.push(`  ${e.area} (suite did not run): ${e.reason}`);
  }
  return `${out.join('\n')}\n`;
}
