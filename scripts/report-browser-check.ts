// `npm run report:browser-check -- --report-dir DIR [--check ID] [--screenshot FILE]`: opens the
// single-file Allure report of a `netconform run` report directory in headless Chromium, clicks to
// a failed check (the one named, or the first failed check with evidence in summary.json), opens
// its evidence and its area's state dump, checks that its title, the status "Failed", its failure
// message, the attachment's content and the dump's first lines are each on screen once scrolled
// to, and saves a screenshot (default DIR/report-in-browser.png) showing it all, or, when a long
// failure message puts the evidence out of reach of one window, two: the top of the result
// (title, status, message) in FILE and the opened evidence in FILE's `-evidence.png` sibling;
// and the dump's start in FILE's `-dump.png` sibling; it prints what each one shows. Exit 0 when
// all of it was seen, 1 when not (or when the run had no failed check to look for), 2 when DIR is
// not a report or Chromium is missing.
import { parseArgs } from 'node:util';
import { progress } from '../cli/program.ts';
import { CleanupStack, cleanupOnSignals } from '../helpers/cleanup.ts';
import { messageOf, SetupError } from '../helpers/errors.ts';
import {
  NothingToLookForError,
  renderBrowserVerdict,
} from '../reports/browser/failed-check-view.ts';
import { checkReportInBrowser } from '../reports/browser/report-in-browser.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'report-dir': { type: 'string' },
      check: { type: 'string' },
      screenshot: { type: 'string' },
    },
  });
  const reportDir = values['report-dir'];
  if (reportDir === undefined) {
    console.error(
      'usage: npm run report:browser-check -- --report-dir DIR [--check ID] [--screenshot FILE]',
    );
    return 2;
  }
  const log = progress(performance.now());
  const cleanup = new CleanupStack({ log });
  const removeHandlers = cleanupOnSignals(cleanup);
  try {
    const result = await checkReportInBrowser({
      reportDir,
      log,
      cleanup,
      ...(values.check === undefined ? {} : { check: values.check }),
      ...(values.screenshot === undefined ? {} : { screenshot: values.screenshot }),
    });
    console.log(renderBrowserVerdict(result));
    return result.problems.length === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof SetupError) {
      console.error(error.render());
      return 2;
    }
    if (error instanceof NothingToLookForError) {
      console.log(`report in browser: FAILED: ${error.message}`);
      return 1;
    }
    console.error(`report in browser: ${messageOf(error)}`);
    return 2;
  } finally {
    try {
      await cleanup.runAll();
    } catch (error) {
      log(messageOf(error));
    }
    removeHandlers();
  }
}

process.exit(await main());
