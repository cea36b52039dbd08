/**
 * The checks that finished, recorded as they finish: the progress reporter (in jest's parent
 * process) appends one JSON line per check to `<report dir>/finished-checks.jsonl`. jest writes
 * its `--json` results only when the whole run ends, so a run stopped by SIGINT, SIGTERM or its
 * --timeout builds its reports from these lines (reports/generate.ts), and every declared check
 * without a line is reported as not run.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JestResults } from './summary.ts';

/** One finished check, as jest reported it: the fields of an assertion result the summary reads. */
type FinishedCheck = JestResults['testResults'][number]['assertionResults'][number] & {
  /** The suite file. */
  readonly file: string;
};

/** The record's path in `reportDir`. */
export function finishedChecksFile(reportDir: string): string {
  return join(reportDir, 'finished-checks.jsonl');
}

/** Appends one finished check (appendFileSync: a line is on disk before the next check ends). */
export function recordFinishedCheck(reportDir: string, check: FinishedCheck): void {
  appendFileSync(finishedChecksFile(reportDir), `${JSON.stringify(check)}\n`);
}

/**
 * The recorded checks in the shape of jest's `--json` results, one entry per suite file. A last
 * line cut short by the kill is left out.
 */
export function readFinishedChecks(reportDir: string): JestResults {
  const path = finishedChecksFile(reportDir);
  const byFile = new Map<string, FinishedCheck[]>();
  const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n') : [];
  for (const line of lines) {
    let check: FinishedCheck;
    try {
      check = JSON.parse(line) as FinishedCheck;
    } catch {
      continue;
    }
    byFile.set(check.file, [...(byFile.get(check.file) ?? []), check]);
  }
  return {
    testResults: [...byFile].map(([name, assertionResults]) => ({
      name,
      status: 'interrupted',
      message: '',
      assertionResults,
    })),
  };
}
