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
 *   skipped checks, the status "failed" for the checks' verdicts: reports/failed-status.ts) and
 *   the HTML report is generated twice: html/ (a site) and single/index.html (one file, for CI
 *   artifacts), without Allure's analytics script.
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
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { messageOf, SetupError } from '../helpers/errors.ts';
import { runHost } from '../helpers/shell.ts';
import { readCatalog, type CatalogEntry } from './catalog.ts';
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
import { renderJunit } from './junit.ts';
import { buildSummary, type JestResults, type Summary } from './summary.ts';
import { renderTerminalSummary } from './terminal-summary.ts';

/** Budget of one `allure generate` (a few seconds on a small run; the JVM starts cold). */
const generateBudgetMs = 180_000;

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
  for (const path of [p.allureResults, p.checks, p.observations, p.junit, p.summary, p.jestResults])
    rmSync(path, { recursive: true, force: true });
}

/** What {@link writeReports} needs to know about the run. */
export interface RunReportInput {
  readonly reportDir: string;
  readonly kubeConfig: KubeConfig;
  readonly profile: string;
  readonly runId: string;
  readonly log: (line: string) => void;
}

/**
 * After the suites: writes summary.json and junit.xml, prints the terminal summary, and generates
 * the Allure reports. Never throws: what fails is logged, and the run's exit code stays the
 * suites' verdict. Returns the summary, or undefined when jest left no results.
 */
export async function writeReports(input: RunReportInput): Promise<Summary | undefined> {
  const { reportDir, log } = input;
  const p = reportPaths(reportDir);
  let summary: Summary | undefined;
  try {
    if (!existsSync(p.jestResults)) {
      log(`reports: jest wrote no results (${p.jestResults}); no summary, JUnit or HTML report`);
      return undefined;
    }
    const results = JSON.parse(readFileSync(p.jestResults, 'utf8')) as JestResults;
    let environment: EnvironmentFacts;
    try {
      environment = await readEnvironment(input.kubeConfig, input);
    } catch (error) {
      log(`reports: could not read the cluster's facts: ${messageOf(error)}`);
      environment = unknownEnvironment(input);
    }
    const catalog = readCatalog(reportDir);
    summary = buildSummary(results, catalog, environment, readObservations(reportDir));
    writeFileSync(p.summary, `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(p.junit, renderJunit(summary));
    process.stdout.write(`\n${renderTerminalSummary(summary)}\n`);
    await generateAllure(p, catalog, environment, input);
    log(
      `reports: ${p.summary}, ${p.junit}, ${join(p.html, 'index.html')}, ${join(p.single, 'index.html')}`,
    );
  } catch (error) {
    log(`reports: could not write every report: ${messageOf(error)}`);
  }
  return summary;
}

async function generateAllure(
  p: ReturnType<typeof reportPaths>,
  catalog: readonly CatalogEntry[],
  environment: EnvironmentFacts,
  input: RunReportInput,
): Promise<void> {
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
  const name = `kube-netconform ${input.runId}`;
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
      timeoutMs: generateBudgetMs,
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
