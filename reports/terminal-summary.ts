/**
 * The few lines `netconform run` prints at the end: a table of areas with passed, failed and
 * skipped checks (and, after an interruption, those not run and why), then each failing check with
 * the first line of its failure, then the state dumps of the failing areas. Rendered from the
 * summary (summary.json), so it says exactly what the files say.
 */
import { areaCounts, type Summary } from './summary.ts';

/** The terminal summary of `summary`, ending with a newline. */
export function renderTerminalSummary(summary: Summary): string {
  const interrupted = summary.interrupted !== undefined;
  const t = summary.totals;
  const table = [
    ['area', 'passed', 'failed', 'skipped', 'not run'],
    ...areaCounts(summary).map((r) => [r.area, r.passed, r.failed, r.skipped, r['not-run']]),
    ['total', t.passed, t.failed, t.skipped, t.notRun],
  ].map((r) => r.map(String).slice(0, interrupted ? 5 : 4));
  const widths = (table[0] ?? []).map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = table.map(line);
  if (summary.interrupted !== undefined) out.push('', `not run: ${summary.interrupted}`);
  const failed = summary.checks.filter((c) => c.status === 'failed');
  if (failed.length > 0 || summary.suiteErrors.length > 0) {
    out.push('', 'failed:');
    for (const c of failed) out.push(`  ${c.id}: ${c.reason ?? ''}`);
    for (const e of summary.suiteErrors) out.push(`  ${e.area} (suite did not run): ${e.reason}`);
  }
  const dumps = [...new Set(failed.flatMap((c) => c.stateDump ?? []))];
  if (dumps.length > 0) {
    out.push(
      '',
      'state dumps (events, pods, kube-proxy and CoreDNS logs), in the report directory:',
    );
    for (const d of dumps) out.push(`  ${d}`);
  }
  return `${out.join('\n')}\n`;
}
