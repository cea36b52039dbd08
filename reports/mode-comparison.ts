/**
 * The kube-proxy mode comparison: the checks whose behaviour differs between modes, side by side
 * across runs on clusters of different modes. Each row is a check, each column a mode (read from
 * the run's environment facts), each cell what that run observed (summary.json's `observed`), or
 * why there is no observation (skipped, failed, not run).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckSummary, Summary } from './summary.ts';

/** One run taking part in the comparison. */
export interface ModeRun {
  /** The kube-proxy mode of the run's cluster (its column). */
  readonly mode: string;
  readonly summary: Summary;
}

/** One compared check. */
export interface ModeComparisonRow {
  readonly id: string;
  readonly title: string;
  /** The cell of each mode, in the order of {@link ModeComparison.modes}. */
  readonly cells: readonly string[];
  /** True when at least two modes observed different behaviour (see {@link behaviourOf}). */
  readonly differs: boolean;
}

/** The whole table. */
export interface ModeComparison {
  readonly modes: readonly string[];
  readonly rows: readonly ModeComparisonRow[];
}

/** Reads the summary.json of a report directory and the mode its cluster ran. */
export function readModeRun(reportDir: string): ModeRun {
  const file = join(reportDir, 'summary.json');
  if (!existsSync(file)) throw new Error(`${reportDir} has no summary.json (not a run's report)`);
  const summary = JSON.parse(readFileSync(file, 'utf8')) as Summary;
  const mode = summary.environment?.kubeProxyMode ?? 'unknown';
  return { mode, summary };
}

/**
 * The behaviour an observation names, without its detail: the text before the first ":" or "("
 * ("NoReply (Packet filtered from …)" → "NoReply", "random: 98/113/89 of 300" → "random"), so that
 * rows differ by behaviour, not by counts or by who answered.
 */
export function behaviourOf(observed: string): string {
  return (observed.split(/[:(]/)[0] ?? observed).trim();
}

function cellOf(check: CheckSummary | undefined): string {
  if (check === undefined) return 'not run';
  if (check.status === 'skipped') return `skipped (${check.reason ?? 'no reason given'})`;
  if (check.status === 'failed') {
    return check.observed === undefined
      ? `failed: ${check.reason ?? ''}`
      : `${check.observed} (check failed)`;
  }
  return check.observed ?? 'passed';
}

/** Builds the table: every check with an observation in at least one run, in first-seen order. */
export function compareModes(runs: readonly ModeRun[]): ModeComparison {
  const modes = runs.map((r) => r.mode);
  const ids: string[] = [];
  const titles = new Map<string, string>();
  for (const run of runs) {
    for (const c of run.summary.checks) {
      if (c.observed !== undefined && !titles.has(c.id)) {
        ids.push(c.id);
        titles.set(c.id, c.title);
      }
    }
  }
  const rows = ids.map((id) => {
    const checks = runs.map((r) => r.summary.checks.find((c) => c.id === id));
    const observed = new Set(
      checks
        .map((c) => c?.observed)
        .filter((o) => o !== undefined)
        .map(behaviourOf),
    );
    return {
      id,
      title: titles.get(id) ?? id,
      cells: checks.map(cellOf),
      differs: observed.size > 1,
    };
  });
  return { modes, rows };
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The table as Markdown (for terminals, CI job summaries and docs). */
export function renderModeComparisonMarkdown(table: ModeComparison): string {
  const header = `| check | ${table.modes.join(' | ')} |`;
  const rule = `| --- | ${table.modes.map(() => '---').join(' | ')} |`;
  const lines = table.rows.map(
    (r) =>
      `| ${escapeCell(r.id)}${r.differs ? ' (differs)' : ''} | ${r.cells.map(escapeCell).join(' | ')} |`,
  );
  return [header, rule, ...lines].join('\n');
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** The table as a self-contained HTML page. */
export function renderModeComparisonHtml(table: ModeComparison): string {
  const head = table.modes.map((m) => `<th>${escapeHtml(m)}</th>`).join('');
  const body = table.rows
    .map(
      (r) =>
        `<tr${r.differs ? ' class="differs"' : ''}><th scope="row">${escapeHtml(r.title)}<br><code>${escapeHtml(r.id)}</code></th>${r.cells
          .map((c) => `<td>${escapeHtml(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kube-proxy modes compared</title>
<style>
body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
th,td{border:1px solid #bbb;padding:.4em .6em;text-align:left;vertical-align:top}
tr.differs td{background:#fff6d6}code{font-size:.8em;color:#555}
</style></head><body>
<h1>kube-proxy modes compared</h1>
<p>Each row is a check whose behaviour depends on kube-proxy's mode; each column a run on a cluster of that mode; each cell what the run observed. Highlighted rows differ between modes.</p>
<table><thead><tr><th>check</th>${head}</tr></thead><tbody>
${body}
</tbody></table></body></html>
`;
}
