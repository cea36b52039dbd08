/**
 * Runs the suites of one break against the (broken) cluster through the command line, exactly as a
 * user would (`bin/netconform run --kubeconfig … --suites … --report-dir …`), and reads back what
 * each check did: jest's results (`jest-results.json`, keyed by test name) joined with the catalog
 * the suites write (`checks/<area>.json`: test name → check id). A check's message is its verdict,
 * without the evidence the failure carries after it, so that a break's pattern is matched against
 * what the check concluded, not against the probe output it recorded.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../clusters/paths.ts';
import { readCatalog } from '../reports/catalog.ts';
import { cleanMessage, type JestResults } from '../reports/summary.ts';
import type { ObservedCheck, ObservedStatus } from './verdict.ts';

/** What one run of the suites produced. */
export interface BreakRun {
  /** netconform's exit code (0 all passed, 1 a check failed, 2 set-up error). */
  readonly exitCode: number;
  readonly checks: readonly ObservedCheck[];
  /** Suite files that failed outside their checks (their checks then count as not run). */
  readonly suiteErrors: readonly string[];
  readonly durationMs: number;
}

/** The verdict part of a failure message: no ANSI, no stack, no "CheckFailure: ", no evidence. */
export function verdictOf(failureMessage: string): string {
  const clean = cleanMessage(failureMessage).replace(/^(?:[A-Za-z]*Error|CheckFailure): /, '');
  const evidenceAt = clean.indexOf('\n\n');
  return (evidenceAt < 0 ? clean : clean.slice(0, evidenceAt)).trim();
}

function statusOf(jestStatus: string): ObservedStatus {
  if (jestStatus === 'passed') return 'passed';
  if (jestStatus === 'failed') return 'failed';
  return 'skipped';
}

/**
 * Joins jest's results with the catalog. Checks the catalog lists but jest did not report (their
 * suite crashed) are "not run".
 */
export function observedChecks(
  results: JestResults,
  catalog: readonly { id: string; area: string; title: string; testName: string }[],
): { checks: ObservedCheck[]; suiteErrors: string[] } {
  const checks: ObservedCheck[] = [];
  const suiteErrors: string[] = [];
  const seen = new Set<string>();
  for (const file of results.testResults) {
    if (file.assertionResults.length === 0 && file.status === 'failed') {
      suiteErrors.push(`${file.name}: ${verdictOf(file.message).split('\n')[0] ?? ''}`);
    }
    for (const a of file.assertionResults) {
      const area = a.ancestorTitles[0];
      const entry =
        catalog.find((c) => c.area === area && c.testName === a.title) ??
        catalog.find((c) => c.testName === a.title);
      const status = statusOf(a.status);
      const id = entry?.id ?? a.title;
      seen.add(id);
      checks.push({
        id,
        title: entry?.title ?? a.title,
        status,
        message: status === 'failed' ? verdictOf(a.failureMessages.join('\n\n')) : '',
      });
    }
  }
  for (const c of catalog) {
    if (!seen.has(c.id)) checks.push({ id: c.id, title: c.title, status: 'not run', message: '' });
  }
  return { checks, suiteErrors };
}

/**
 * Runs `areas` against the cluster of `kubeconfig`, reports into `reportDir` (the command's own
 * output goes to `<reportDir>/netconform.log`).
 */
export async function runBreakSuites(options: {
  readonly kubeconfig: string;
  readonly context: string;
  readonly areas: readonly string[];
  readonly reportDir: string;
  readonly log: (line: string) => void;
}): Promise<BreakRun> {
  const { reportDir } = options;
  rmSync(join(reportDir, 'jest-results.json'), { force: true });
  rmSync(join(reportDir, 'checks'), { recursive: true, force: true });
  const argv = [
    'run',
    '--kubeconfig',
    options.kubeconfig,
    '--context',
    options.context,
    '--suites',
    options.areas.join(','),
    '--report-dir',
    reportDir,
  ];
  mkdirSync(reportDir, { recursive: true });
  const logFile = join(reportDir, 'netconform.log');
  options.log(`bin/netconform ${argv.join(' ')} (output in ${logFile})`);
  const started = performance.now();
  const out = openSync(logFile, 'w');
  const child = spawn(join(repoRoot, 'bin', 'netconform'), argv, {
    cwd: repoRoot,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exitCode = await new Promise<number>((resolve) => {
    child.on('exit', (code) => {
      resolve(code ?? 1);
    });
    child.on('error', () => {
      resolve(2);
    });
  });
  const durationMs = performance.now() - started;
  const resultsFile = join(reportDir, 'jest-results.json');
  if (!existsSync(resultsFile)) {
    return {
      exitCode,
      checks: [],
      suiteErrors: [`netconform exited ${exitCode} without writing ${resultsFile}`],
      durationMs,
    };
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as JestResults;
  const { checks, suiteErrors } = observedChecks(results, readCatalog(reportDir));
  return { exitCode, checks, suiteErrors, durationMs };
}
