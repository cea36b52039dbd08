/**
 * The reports of a run, written by `netconform run` around the jest run of the suites:
 *
 * - {@link prepareReports} (first, before the cluster is resolved): checks that the report
 *   directory may be written (reports/report-dir.ts) and that Java is there for Allure; writes
 *   nothing, so a run that fails to start keeps the previous reports.
 * - {@link clearPreviousResults} (right before the suites): makes the directory the tool's and
 *   removes the previous run's results, keeping the previous HTML report for its history.
 * - {@link writeReports} (after the suites): summary.json, junit.xml and the terminal summary from
 *   jest's results and the catalog of checks; then the Allure results are completed
 *   (categories.json, environment.properties, the previous report's history/, the reasons of
 *   skipped checks, the status "failed" for the checks' verdicts: reports/failed-status.ts, the
 *   state dumps of the areas with a failed check: reports/state-dumps.ts) and the HTML report
 *   is generated twice: html/ (a site) and single/index.html (one file, for CI artifacts),
 *   without Allure's analytics script.
 * - After an interruption (SIGINT, SIGTERM, --timeout), {@link writeReports} builds the same files
 *   from the checks that finished (reports/finished-checks.ts), every other declared check marked
 *   not run with the reason; summary.json and junit.xml come first, and the HTML report gets a
 *   short budget, so the run exits within a CI job's grace period after the signal.
 *
 * Exit codes: a report that cannot be generated is logged and never changes the run's exit code;
 * a machine without Java is found before the suites run, as a set-up error (exit 2) naming the fix.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { messageOf, SetupError } from '../helpers/errors.ts';
import { runHost } from '../helpers/shell.ts';
import { readCatalog, type CatalogEntry } from './catalog.ts';
import { finishedChecksFile, readFinishedChecks } from './finished-checks.ts';
import { readObservations } from './observations.ts';
import { checkReportDir, claimReportDir } from './report-dir.ts';
import { allureCategories } from './categories.ts';
import {
  environmentProperties,
  readEnvironment,
  unknownEnvironment,
  type EnvironmentFacts,
} from './environment.ts';
import { markCheckFailures } from './failed-status.ts';
import { attachStateDumps, dumpsFolder, readStateDumps, withStateDumps } from './state-dumps.ts';
import { renderJunit } from './junit.ts';
import { buildSummary, type JestResults, type Summary } from './summary.ts';
import { renderTerminalSummary } from './terminal-summary.ts';

/** Budget of one `allure generate` (a few seconds on a small run; the JVM starts cold). */
const generateBudgetMs = 180_000;

/**
 * Budget of one `allure generate` after an interruption: CI systems kill a job soon after they
 * sent it SIGTERM, so the run does not wait for a slow JVM (summary.json and junit.xml are written).
 */
export const interruptedGenerateBudgetMs = 20_000;

/** The files of a report directory. */
export function reportPaths(reportDir: string): {
  jestResults: string;
  allureResults: string;
  html: string;
  single: string;
  junit: string;
  summary: string;
  checks: string;
  observations: string;
} {
  return {
    jestResults: join(reportDir, 'jest-results.json'),
    allureResults: join(reportDir, 'allure-results'),
    html: join(reportDir, 'html'),
    single: join(reportDir, 'single'),
    junit: join(reportDir, 'junit.xml'),
    summary: join(reportDir, 'summary.json'),
    checks: join(reportDir, 'checks'),
    observations: join(reportDir, 'observations'),
  };
}

/** The Allure command line bundled by the allure-commandline package (its jar included). */
export function allureBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('allure-commandline/package.json')), 'dist', 'bin', 'allure');
}

/** The java the allure script will start: $JAVA_HOME/bin/java, or java on the PATH. */
function javaCommand(env: NodeJS.ProcessEnv): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * Throws a {@link SetupError} naming the fix when no Java runtime can start (Allure 2 is a Java
 * program). Called before the suites, so a missing Java costs seconds, not a whole run.
 */
export async function requireJava(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const java = javaCommand(env);
  const r = await runHost([java, '-version'], { timeoutMs: 30_000, env });
  if (r.exitCode === 0) return;
  const why = (r.stderr.trim().split('\n')[0] ?? '') || `exit code ${String(r.exitCode)}`;
  throw new SetupError(
    `the HTML report needs Java (Allure 2 is a Java program), and \`${java} -version\` failed: ${why}`,
    env.JAVA_HOME
      ? `point JAVA_HOME at a Java runtime (8 or newer), or unset it to use the java on the PATH`
      : 'install a Java runtime, e.g. on Debian or Ubuntu: sudo apt-get install -y default-jre-headless (or set JAVA_HOME)',
  );
}

/** Before anything else: the report directory is usable and Java is there. Writes nothing. */
export async function prepareReports(reportDir: string): Promise<void> {
  checkReportDir(reportDir);
  await requireJava();
}

/**
 * Right before the suites: the report directory is the tool's (made, with its marker), and the
 * previous run's results are gone (not its HTML).
 */
export function clearPreviousResults(reportDir: string): void {
  claimReportDir(reportDir);
  const p = reportPaths(reportDir);
  const results = [
    p.allureResults,
    p.checks,
    p.observations,
    p.junit,
    p.summary,
    p.jestResults,
    join(reportDir, dumpsFolder),
  ];
  for (const path of [...results, finishedChecksFile(reportDir)])
    rmSync(path, { recursive: true, force: true });
}

/** What {@link writeReports} needs to know about the run. */
export interface RunReportInput {
  readonly reportDir: string;
  readonly kubeConfig: KubeConfig;
  readonly profile: string;
  readonly runId: string;
  readonly log: (line: string) => void;
  /** Why the run ended before its checks did (a signal, --timeout); absent for a whole run. */
  readonly interrupted?: string;
  /**
   * Every check the run selected, for the areas whose suite did not start before an interruption
   * (the suites declare the others in checks/).
   */
  readonly declared?: readonly CatalogEntry[];
}

/**
 * After the suites: writes summary.json and junit.xml, prints the terminal summary, and generates
 * the Allure reports. Never throws: what fails is logged, and the run's exit code stays the
 * suites' verdict. Returns the summary, or undefined when it could not be written. When the run
 * was interrupted, or jest ended without writing its results, the reports hold the checks that
 * finished and every other declared check as not run.
 */
export async function writeReports(input: RunReportInput): Promise<Summary | undefined> {
  const { reportDir, log } = input;
  const p = reportPaths(reportDir);
  let summary: Summary | undefined;
  try {
    const whole = input.interrupted === undefined && existsSync(p.jestResults);
    const interrupted = whole
      ? undefined
      : (input.interrupted ?? 'jest ended without writing its results');
    const results = whole
      ? (JSON.parse(readFileSync(p.jestResults, 'utf8')) as JestResults)
      : readFinishedChecks(reportDir);
    let catalog = readCatalog(reportDir);
    if (interrupted !== undefined) {
      const started = new Set(catalog.map((c) => c.area));
      catalog = [...catalog, ...(input.declared ?? []).filter((c) => !started.has(c.area))];
    }
    let environment: EnvironmentFacts;
    try {
      environment = await readEnvironment(input.kubeConfig, input);
    } catch (error) {
      log(`reports: could not read the cluster's facts: ${messageOf(error)}`);
      environment = unknownEnvironment(input);
    }
    const observations = readObservations(reportDir);
    summary = withStateDumps(
      buildSummary(results, catalog, environment, observations, interrupted),
      readStateDumps(reportDir),
    );
    writeFileSync(p.summary, `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(p.junit, renderJunit(summary));
    process.stdout.write(`\n${renderTerminalSummary(summary)}\n`);
    if (interrupted !== undefined) {
      log(`reports: ${p.summary}, ${p.junit} (${summary.totals.notRun} check(s) not run)`);
      writeNotRun(p.allureResults, summary);
    }
    await generateAllure(reportDir, catalog, environment, input.runId, interrupted !== undefined);
    log(
      `reports: ${p.summary}, ${p.junit}, ${join(p.html, 'index.html')}, ${join(p.single, 'index.html')}`,
    );
  } catch (error) {
    log(`reports: could not write every report: ${messageOf(error)}`);
  }
  return summary;
}

async function generateAllure(
  reportDir: string,
  catalog: readonly CatalogEntry[],
  environment: EnvironmentFacts,
  runId: string,
  interrupted: boolean,
): Promise<void> {
  const p = reportPaths(reportDir);
  mkdirSync(p.allureResults, { recursive: true });
  writeFileSync(
    join(p.allureResults, 'categories.json'),
    `${JSON.stringify(allureCategories(), null, 2)}\n`,
  );
  writeFileSync(
    join(p.allureResults, 'environment.properties'),
    environmentProperties(environment),
  );
  // Allure's way to keep trends and retries across runs: the last report's history/ goes into
  // the new results before generating.
  const history = join(p.html, 'history');
  if (existsSync(history)) cpSync(history, join(p.allureResults, 'history'), { recursive: true });
  annotateSkipped(p.allureResults, catalog);
  markCheckFailures(p.allureResults);
  attachStateDumps(p.allureResults, reportDir);
  const name = `kube-netconform ${runId}${interrupted ? ' (interrupted)' : ''}`;
  for (const [out, extra] of [
    [p.html, []],
    [p.single, ['--single-file']],
  ] as const) {
    const argv = [
      allureBin(),
      'generate',
      '--clean',
      ...extra,
      '--name',
      name,
      '-o',
      out,
      p.allureResults,
    ];
    // ALLURE_NO_ANALYTICS: no Google Tag Manager script in the report (it is opened offline, and
    // must not call out when it is opened at all).
    const r = await runHost(argv, {
      timeoutMs: interrupted ? interruptedGenerateBudgetMs : generateBudgetMs,
      env: { ALLURE_NO_ANALYTICS: 'true' },
    });
    if (r.exitCode !== 0) {
      throw new Error(
        `\`allure generate\` into ${out} failed (exit ${String(r.exitCode)}): ${(r.stderr || r.stdout).trim()}`,
      );
    }
  }
}

/**
 * The checks an interrupted run did not reach, as Allure results: skipped, "not run: <why>" as
 * their status message, in their area's suite (allure-jest writes a result only for a test that
 * ended).
 */
export function writeNotRun(resultsDir: string, summary: Summary): void {
  mkdirSync(resultsDir, { recursive: true });
  const now = Date.now();
  for (const c of summary.checks.filter((x) => x.status === 'not-run')) {
    const uuid = randomUUID();
    const result = {
      uuid,
      historyId: c.id,
      name: c.title,
      fullName: c.id,
      status: 'skipped',
      statusDetails: { message: `not run: ${c.reason ?? ''}` },
      stage: 'finished',
      start: now,
      stop: now,
      labels: [
        { name: 'parentSuite', value: c.area },
        { name: 'checkId', value: c.id },
        { name: 'area', value: c.area },
      ],
    };
    writeFileSync(join(resultsDir, `${uuid}-result.json`), JSON.stringify(result));
  }
}

/**
 * jest never runs the body of a skipped test, so allure-jest records a skipped check with its
 * jest name ("title (skipped: reason)") and no details. This gives it back its title, the reason
 * as its status message and its check id, from the catalog.
 */
export function annotateSkipped(resultsDir: string, catalog: readonly CatalogEntry[]): void {
  for (const file of readdirSync(resultsDir).filter((f) => f.endsWith('-result.json'))) {
    const path = join(resultsDir, file);
    const result = JSON.parse(readFileSync(path, 'utf8')) as {
      name?: string;
      status?: string;
      statusDetails?: Record<string, unknown>;
      labels?: { name: string; value: string }[];
    };
    if (result.status !== 'skipped' || result.name === undefined) continue;
    const area = result.labels?.find((l) => l.name === 'parentSuite')?.value;
    const entry = catalog.find((c) => c.area === area && c.testName === result.name);
    if (entry?.skipReason === undefined) continue;
    result.name = entry.title;
    result.statusDetails = { ...result.statusDetails, message: entry.skipReason };
    result.labels = [
      ...(result.labels ?? []),
      { name: 'checkId', value: entry.id },
      { name: 'area', value: entry.area },
    ];
    writeFileSync(path, JSON.stringify(result));
  }
}
