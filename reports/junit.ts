/**
 * junit.xml for CI, rendered from the summary: one <testsuite> per area, one <testcase> per check
 * (classname the area, name the check's sentence), <failure> with the first line as its message
 * and the whole failure (verdict and evidence) as its text, <skipped message="reason">. A suite
 * file that failed outside its checks becomes a test case with an <error>. Written here rather
 * than by jest-junit, which writes <skipped/> without the reason and cannot name the check ids.
 *
 * A check an interrupted run did not reach is <skipped message="not run: <why>">, not an <error>:
 * CI test views (GitLab, GitHub's junit actions, Jenkins) count errors as broken tests and list
 * them among the failures, which would blame checks that never ran; the job has failed anyway
 * (exit 130/143 or 1), and the skipped message shows why each check is missing.
 */
import { areaCounts, type Summary } from './summary.ts';

function escapeXml(s: string): string {
  // Characters XML 1.0 does not allow at all are dropped (probe outputs may hold any byte).
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The JUnit XML document of `summary`. */
export function renderJunit(summary: Summary): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = summary.checks.reduce((s, c) => s + c.durationMs, 0);
  const errors = summary.suiteErrors.length;
  const t = summary.totals;
  out.push(
    `<testsuites name="kube-netconform" tests="${t.total + errors}" failures="${t.failed}" errors="${errors}" skipped="${t.skipped + t.notRun}" time="${seconds(total)}">`,
  );
  for (const row of areaCounts(summary)) {
    const checks = summary.checks.filter((c) => c.area === row.area);
    const suiteErrors = summary.suiteErrors.filter((e) => e.area === row.area);
    const time = checks.reduce((s, c) => s + c.durationMs, 0);
    out.push(
      `  <testsuite name="${escapeXml(row.area)}" tests="${checks.length + suiteErrors.length}" failures="${row.failed}" errors="${suiteErrors.length}" skipped="${row.skipped + row['not-run']}" time="${seconds(time)}">`,
    );
    for (const c of checks) {
      const open = `    <testcase classname="${escapeXml(c.area)}" name="${escapeXml(c.title)}" id="${escapeXml(c.id)}" time="${seconds(c.durationMs)}"`;
      if (c.status === 'passed') {
        out.push(`${open}/>`);
      } else if (c.status === 'skipped' || c.status === 'not-run') {
        const why = c.status === 'not-run' ? `not run: ${c.reason ?? ''}` : (c.reason ?? '');
        out.push(`${open}>`, `      <skipped message="${escapeXml(why)}"/>`, '    </testcase>');
      } else {
        out.push(
          `${open}>`,
          `      <failure message="${escapeXml(c.reason ?? '')}"${c.kind === undefined ? '' : ` type="${escapeXml(c.kind)}"`}>${escapeXml(c.message ?? '')}</failure>`,
          '    </testcase>',
        );
      }
    }
    for (const e of suiteErrors) {
      out.push(
        `    <testcase classname="${escapeXml(e.area)}" name="the suite file of ${escapeXml(e.area)}" time="0.000">`,
        `      <error message="${escapeXml(e.reason)}">${escapeXml(e.message)}</error>`,
        '    </testcase>',
      );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
