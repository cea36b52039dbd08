/**
 * The report, checked in a real browser: opens a run's single-file Allure report
 * (`single/index.html`, through file://: the site in html/ loads its data with XHR, which file://
 * forbids, while the single file carries everything) in headless Chromium, and does what a person
 * would: opens the area of a failed check in the suites tree, clicks the check, opens an evidence
 * attachment and the state dump of the check's area. Then it scrolls to each part in turn (title,
 * status, failure message, the attachment's content, the dump's) and reads whether it is on
 * screen, judges that against summary.json and the dump's file (failed-check-view.ts), and saves
 * a screenshot of it all, or two when it does not fit in one window (screenshots.ts: the top of
 * the result, and the opened evidence), and one of the dump's start.
 *
 * The browser (playwright-core driving the machine's Chromium, chromium.ts) cannot reach the
 * network; every request the page made is recorded, and one that tried to leave the machine is a
 * problem too: the report must work offline.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { CleanupStack } from '../../helpers/cleanup.ts';
import { messageOf, SetupError } from '../../helpers/errors.ts';
import { poll } from '../../helpers/poll.ts';
import { reportPaths } from '../generate.ts';
import type { Summary } from '../summary.ts';
import * as ui from './allure-ui.ts';
import { openBrowserPage } from './chromium.ts';
import { expectedView, judgeView, type ExpectedView, type SeenView } from './failed-check-view.ts';
import {
  dumpScreenshotPath,
  evidenceScreenshotPath,
  screenshotPlan,
  type Screenshot,
  type ViewPart,
} from './screenshots.ts';

/** The window: wide enough for the tree and the result side by side; what is judged is seen in it. */
const window = { width: 1600, height: 1000 };
/**
 * The tallest window a screenshot is taken in (one showing the check from its title to the opened
 * evidence); a longer result is pictured in two screenshots.
 */
const maxHeight = 4000;

/** Options of {@link checkReportInBrowser}. */
export interface ReportInBrowserOptions {
  /** A `netconform run` report directory (summary.json, single/index.html). */
  readonly reportDir: string;
  /** The failed check to look at (id or title); default: the first failed check with evidence. */
  readonly check?: string;
  /**
   * Where to save the screenshot (default `<reportDir>/report-in-browser.png`); a second one, of
   * the evidence when the result is too long for one window, goes beside it as `…-evidence.png`.
   */
  readonly screenshot?: string;
  readonly log: (line: string) => void;
  /** Where to register the browser's stop, for interrupted runs. */
  readonly cleanup?: CleanupStack;
}

/** What {@link checkReportInBrowser} found. */
export interface ReportInBrowserResult {
  /** What the report had to show. */
  readonly expected: ExpectedView;
  /** What the page showed, when the browser got as far as the check's result. */
  readonly seen: SeenView | undefined;
  /** What is wrong, one sentence each; empty when the check passed. */
  readonly problems: readonly string[];
  /** The screenshots written (none, one, or the top and the evidence), with what each shows. */
  readonly screenshots: readonly Screenshot[];
  /** The address opened. */
  readonly url: string;
  readonly durationMs: number;
}

/** True for an address that stays on this machine (files, inline data, the loopback). */
export function isLocalUrl(url: string): boolean {
  if (/^(?:file|data|blob|about|chrome|devtools|chrome-error):/i.test(url)) return true;
  return /^(?:https?|wss?):\/\/(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?(?:\/|$)/i.test(
    url,
  );
}

/** The default screenshot of a report directory. */
export function screenshotPath(reportDir: string): string {
  return join(reportDir, 'report-in-browser.png');
}

/**
 * Opens the report of `reportDir` in headless Chromium and checks that a failed check shows its
 * title, status, failure message and evidence on screen, each once scrolled to; saves the
 * screenshots (also when a problem was found, once the page is open). Problems in the report are
 * returned, not thrown.
 * @throws {SetupError} when the directory holds no report, or no Chromium is installed.
 * @throws {NothingToLookForError} when summary.json has no failed check (with evidence) to look for.
 */
export async function checkReportInBrowser(
  options: ReportInBrowserOptions,
): Promise<ReportInBrowserResult> {
  const started = performance.now();
  const paths = reportPaths(options.reportDir);
  const single = join(paths.single, 'index.html');
  for (const file of [paths.summary, single]) {
    if (!existsSync(file)) {
      throw new SetupError(
        `${file} does not exist: ${options.reportDir} is not a complete report directory`,
        'point --report-dir at the --report-dir of a finished `netconform run` (it writes summary.json and single/index.html)',
      );
    }
  }
  const summary = JSON.parse(readFileSync(paths.summary, 'utf8')) as Summary;
  const readDump = (file: string): string | undefined => {
    const path = join(options.reportDir, file);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
  const expected = expectedView(summary, options.check, readDump);
  const url = `${pathToFileURL(single).href}#suites`;
  const screenshot = options.screenshot ?? screenshotPath(options.reportDir);
  // never leave an older run's pictures behind
  for (const file of [
    screenshot,
    evidenceScreenshotPath(screenshot),
    dumpScreenshotPath(screenshot),
  ])
    rmSync(file, { force: true });
  options.log(`report in browser: ${url}, looking for failed check ${expected.checkId}`);

  const browser = await openBrowserPage({
    window,
    log: options.log,
    ...(options.cleanup === undefined ? {} : { cleanup: options.cleanup }),
  });
  const { page } = browser;
  const problems: string[] = [];
  let seen: SeenView | undefined;
  const saved: Screenshot[] = [];
  try {
    try {
      seen = await lookAtFailedCheck(page, url, expected, problems);
      if (seen !== undefined) problems.push(...judgeView(expected, seen));
    } catch (error) {
      problems.push(`could not look at the check in the report: ${messageOf(error)}`);
    }
    try {
      await takeScreenshots(page, expected, screenshot, saved);
    } catch (error) {
      problems.push(`no screenshot: ${messageOf(error)}`);
    }
    const away = browser.requestedUrls.filter((u) => !isLocalUrl(u));
    if (away.length > 0) {
      problems.push(
        `the report asked for addresses off this machine (blocked here): ${away.map((u) => u.slice(0, 120)).join(', ')}`,
      );
    }
    for (const error of browser.scriptErrors)
      options.log(`report in browser: page error: ${error}`);
  } finally {
    await browser.close();
  }
  return {
    expected,
    seen,
    problems,
    screenshots: saved,
    url,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * The clicks: suite, check, attachment, state dump; then each part scrolled into view and read.
 * Returns what is on screen, or undefined (with a problem pushed) when the check is not in the
 * tree.
 */
async function lookAtFailedCheck(
  page: Page,
  url: string,
  expected: ExpectedView,
  problems: string[],
): Promise<SeenView | undefined> {
  const { area, title } = expected;
  const attachment = expected.evidence.title;
  await page.goto(url);
  const suites = await waitFor<string[]>(page, 'the report to draw its suites', ui.suiteNames());
  if (!(await page.evaluate<boolean>(ui.openSuite(area)))) {
    problems.push(`the report has no suite ${area} (its suites: ${suites.join(', ')})`);
    return undefined;
  }
  const listed = await waitFor<{ title: string; status: string }[]>(
    page,
    `the checks of suite ${area} to be listed`,
    ui.checksOfSuite(area),
  );
  const leaf = listed.find((c) => c.title === title);
  if (leaf === undefined) {
    problems.push(
      `suite ${area} lists no check titled "${title}" (it lists: ${listed.map((c) => `"${c.title}" ${c.status}`).join(', ')})`,
    );
    return undefined;
  }
  if (leaf.status !== 'failed') {
    problems.push(`the suites tree marks "${title}" ${leaf.status}, expected failed`);
  }
  await page.evaluate(ui.openCheck(area, title));
  await waitFor(page, `the result of "${title}" to be shown`, ui.resultShown(title));
  if (await page.evaluate<boolean>(ui.openAttachment(attachment))) {
    await waitFor(page, `the attachment "${attachment}" to open`, ui.attachmentText(attachment));
  }
  const dump = expected.dump?.title;
  if (dump !== undefined && (await page.evaluate<boolean>(ui.openAttachment(dump)))) {
    await waitFor(page, `the state dump "${dump}" to open`, ui.attachmentText(dump));
  }
  return page.evaluate<SeenView>(ui.seenView(attachment, dump));
}

/**
 * Saves the screenshots of the page as it is after the clicks (see screenshotPlan): the result
 * from its top, in a window tall enough for all of it down to the opened evidence attachment
 * when that fits, else that and a second one with the attachment scrolled to the top; then the
 * opened state dump scrolled to the top. Each is pushed onto `saved` once written, with the parts
 * in view in it.
 */
async function takeScreenshots(
  page: Page,
  expected: ExpectedView,
  path: string,
  saved: Screenshot[],
): Promise<void> {
  const attachment = expected.evidence.title;
  const dump = expected.dump?.title;
  const toShowAll = await page.evaluate<number | null>(ui.heightToShow(attachment));
  const evidence = await page.evaluate<number | null>(ui.evidenceHeight(attachment));
  const dumpOpen =
    dump !== undefined && (await page.evaluate<number | null>(ui.evidenceHeight(dump))) !== null;
  const steps = screenshotPlan({
    path,
    windowHeight: window.height,
    maxHeight,
    toShowAll,
    evidence,
    dump: dumpOpen,
  });
  for (const step of steps) {
    await page.setViewportSize({ width: window.width, height: step.height });
    await page.evaluate(
      step.view === 'top'
        ? ui.scrollResultToTop()
        : ui.revealAttachment(step.view === 'dump' ? (dump ?? '') : attachment),
    );
    const shows = await page.evaluate<ViewPart[]>(ui.partsInView(attachment, dump));
    await page.screenshot({ path: step.path });
    saved.push({ path: step.path, shows });
  }
}

/**
 * Evaluates `expression` in the page until it yields something other than null or undefined,
 * within the `reportRender` deadline; `what` names what is awaited in the timeout message.
 */
async function waitFor<T>(page: Page, what: string, expression: string): Promise<T> {
  return poll({
    what,
    deadline: 'reportRender',
    intervalMs: 250,
    attempt: async () => {
      const value = await page.evaluate<T | null | undefined>(expression);
      return value === null || value === undefined
        ? { done: false, state: undefined, summary: 'not on the page yet' }
        : { done: true, state: value };
    },
  }) as Promise<T>;
}
