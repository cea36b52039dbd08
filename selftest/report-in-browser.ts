/**
 * The self-test's look at the report in a real browser: after the first break whose suites ran,
 * its report is opened in headless Chromium (reports/browser/report-in-browser.ts) at the first
 * check the break says must fail; its title, the status "Failed", its failure message, an
 * evidence attachment and its area's state dump must each be on screen once scrolled to. The screenshot (two, the top of the
 * result and the evidence, when a long failure message keeps them out of one window) is saved in
 * the break's report directory and its path printed with what it shows. What went wrong comes back
 * as run-level problems of that break, so a report that does not show the failure fails the
 * self-test.
 */
import type { CleanupStack } from '../helpers/cleanup.ts';
import { messageOf } from '../helpers/errors.ts';
import { renderBrowserVerdict } from '../reports/browser/failed-check-view.ts';
import { checkReportInBrowser } from '../reports/browser/report-in-browser.ts';
import type { Break } from './break.ts';

/** Checks the report of one break in the browser; resolves with its problems (none: seen). */
export type ReportInBrowserCheck = (b: Break, reportDir: string) => Promise<string[]>;

/**
 * The check to call after each break's run: it looks at the report of the first break it is
 * called for, and returns no problems for the later ones.
 */
export function reportInBrowserOfFirstBreak(options: {
  readonly log: (line: string) => void;
  readonly cleanup: CleanupStack;
}): ReportInBrowserCheck {
  let done = false;
  return async (b, reportDir) => {
    if (done) return [];
    done = true;
    const check = b.mustFail[0]?.check;
    try {
      const result = await checkReportInBrowser({
        reportDir,
        log: options.log,
        cleanup: options.cleanup,
        ...(check === undefined ? {} : { check }),
      });
      console.log(`\n${renderBrowserVerdict(result)}`);
      return result.problems.map((p) => `report in browser: ${p}`);
    } catch (error) {
      const problem = `report in browser: ${messageOf(error)}`;
      console.log(`\n${problem}`);
      return [problem];
    }
  };
}
