/**
 * Failed, not broken. allure-jest calls a test "failed" only when it threw an assertion error
 * (jest's `expect`, node:assert) and "broken" for any other error, so every check that concluded
 * against the cluster (a CheckFailure: expected this, observed that, with its evidence) showed as
 * Broken, in yellow, under "Test defects". Before the report is generated, {@link markCheckFailures}
 * gives those results the status "failed" (red, "Product defects": the cluster failed the check).
 * What did not come from a check's verdict (a set-up that failed in beforeAll, jest's own timeout)
 * stays broken.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part of an Allure result this reads. */
interface AllureResult {
  status?: string;
  statusDetails?: { message?: string; trace?: string };
}

/** True for a result whose error is a check's verdict (its trace starts with "CheckFailure: "). */
export function isCheckVerdict(result: AllureResult): boolean {
  return result.statusDetails?.trace?.startsWith('CheckFailure: ') === true;
}

/**
 * Rewrites the broken results of `resultsDir` whose error is a check's verdict to "failed";
 * returns how many it changed.
 */
export function markCheckFailures(resultsDir: string): number {
  let changed = 0;
  for (const file of readdirSync(resultsDir).filter((f) => f.endsWith('-result.json'))) {
    const path = join(resultsDir, file);
    const result = JSON.parse(readFileSync(path, 'utf8')) as AllureResult;
    if (result.status !== 'broken' || !isCheckVerdict(result)) continue;
    result.status = 'failed';
    writeFileSync(path, JSON.stringify(result));
    changed += 1;
  }
  return changed;
}
