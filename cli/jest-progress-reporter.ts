/**
 * A jest reporter that prints one line per check as it finishes (cli/progress.ts has the format),
 * and, when KNC_PROGRESS_STARTED=1, a line as each check starts. `netconform run` adds it to the
 * conformance run: alone when its output is not a terminal (CI logs stay one line per check), next
 * to jest's default reporter on a terminal.
 *
 * jest only knows test names; the check ids come from the catalog each suite process writes when
 * it registers its area (<KNC_REPORT_DIR>/checks/<area>.json, reports/catalog.ts). Skipped checks
 * produce no per-test event in jest, so they are printed when their suite file finishes.
 * KNC_PROGRESS_START (epoch ms) is when the run started, for the elapsed time.
 *
 * It also records each finished check in the report directory (reports/finished-checks.ts), so a
 * run stopped before jest writes its results still reports the checks that finished.
 */
import type { Reporter, Test, TestCaseResult, TestResult } from '@jest/reporters';
import { readCatalog, reportDirOf, type CatalogEntry } from '../reports/catalog.ts';
import { recordFinishedCheck } from '../reports/finished-checks.ts';
import { formatCheckLine, type CheckEvent } from './progress.ts';

/** Prints check progress to stderr. */
export default class CheckProgressReporter implements Pick<
  Reporter,
  'onTestCaseStart' | 'onTestCaseResult' | 'onTestResult' | 'getLastError'
> {
  private readonly start: number;
  private readonly showStarts: boolean;
  private readonly reportDir: string;
  private catalog: CatalogEntry[] = [];
  /** Checks already in the record of finished checks: file, area and title. */
  private readonly recorded = new Set<string>();

  constructor() {
    const start = Number(process.env.KNC_PROGRESS_START);
    this.start = Number.isFinite(start) && start > 0 ? start : Date.now();
    this.showStarts = process.env.KNC_PROGRESS_STARTED === '1';
    this.reportDir = reportDirOf();
  }

  /** The catalog entry of a jest test, re-reading the catalog when a new area registered. */
  private entry(area: string | undefined, testName: string): CatalogEntry | undefined {
    const find = (): CatalogEntry | undefined =>
      this.catalog.find((e) => e.area === area && e.testName === testName);
    const found = find();
    if (found !== undefined) return found;
    try {
      this.catalog = readCatalog(this.reportDir);
    } catch {
      return undefined; // a catalog being written right now; the title stands in for the id
    }
    return find();
  }

  private print(area: string | undefined, testName: string, event: CheckEvent): void {
    const id = this.entry(area, testName)?.id ?? `${area ?? '?'}: ${testName}`;
    process.stderr.write(`${formatCheckLine(id, event, Date.now() - this.start)}\n`);
  }

  onTestCaseStart(_test: Test, info: { ancestorTitles: string[]; title: string }): void {
    if (this.showStarts) this.print(info.ancestorTitles[0], info.title, { kind: 'started' });
  }

  /** Appends a finished check to the record of the run, once. */
  private record(test: Test, r: TestCaseResult | TestResult['testResults'][number]): void {
    const { ancestorTitles, title, status, duration, failureMessages } = r;
    const key = JSON.stringify([test.path, ancestorTitles, title]);
    if (this.recorded.has(key)) return;
    this.recorded.add(key);
    recordFinishedCheck(this.reportDir, {
      file: test.path,
      ancestorTitles,
      title,
      status,
      duration,
      failureMessages,
    });
  }

  onTestCaseResult(test: Test, r: TestCaseResult): void {
    this.record(test, r);
    const durationMs = r.duration ?? 0;
    if (r.status === 'passed')
      this.print(r.ancestorTitles[0], r.title, { kind: 'passed', durationMs });
    else if (r.status === 'failed')
      this.print(r.ancestorTitles[0], r.title, {
        kind: 'failed',
        durationMs,
        message: r.failureMessages[0] ?? '',
      });
  }

  onTestResult(test: Test, result: TestResult): void {
    if (result.testExecError !== undefined) {
      process.stderr.write(
        `${formatCheckLine(test.path.replace(/^.*\/suites\//, 'suites/'), { kind: 'failed', durationMs: 0, message: `the suite failed to run: ${result.testExecError.message}` }, Date.now() - this.start)}\n`,
      );
    }
    for (const r of result.testResults) {
      // Also the checks that did not report on their own (their area's set-up failed).
      this.record(test, r);
      if (r.status !== 'pending' && r.status !== 'skipped' && r.status !== 'todo') continue;
      const entry = this.entry(r.ancestorTitles[0], r.title);
      const reason =
        entry?.skipReason ?? /\(skipped: (.*)\)$/.exec(r.title)?.[1] ?? 'skipped by jest';
      this.print(r.ancestorTitles[0], r.title, { kind: 'skipped', reason });
    }
  }

  getLastError(): Error | undefined {
    return undefined;
  }
}
