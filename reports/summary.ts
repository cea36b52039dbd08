/**
 * summary.json: one entry per check of the run (id, area, title, status, duration, reason), the
 * totals and the environment facts, built from jest's results (`--json`) joined with the catalog
 * of checks (reports/catalog.ts). junit.xml and the terminal summary are rendered from it.
 * A run that was interrupted builds it from the checks that finished (reports/finished-checks.ts):
 * every other check of the catalog is "not-run", with the interruption as its reason.
 */
import type { CatalogEntry } from './catalog.ts';
import { failureKind } from './categories.ts';
import type { EnvironmentFacts } from './environment.ts';

/** The part of jest's `--json` output the summary reads. */
export interface JestResults {
  readonly testResults: readonly {
    readonly name: string;
    readonly status: string;
    readonly message: string;
    readonly assertionResults: readonly {
      readonly ancestorTitles: readonly string[];
      readonly title: string;
      readonly status: string;
      readonly duration?: number | null;
      readonly failureMessages: readonly string[];
    }[];
  }[];
}

/** How a check ended. */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

/** One check in summary.json. */
export interface CheckSummary {
  /** The check id (`<area>/<file name>`), or the test title when the catalog lacks it. */
  readonly id: string;
  readonly area: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly durationMs: number;
  /** The first line of the failure message, or the reason a check was skipped. */
  readonly reason?: string;
  /** The failure kind (reports/categories.ts), for failed checks whose message names one. */
  readonly kind?: string;
  /** The whole failure message (verdict and evidence), for failed checks. */
  readonly message?: string;
  /** What the check observed, in a few words, for checks that compare kube-proxy modes. */
  readonly observed?: string;
  /**
   * For failed checks: the state dump of the check's area (events, pods, kube-proxy and CoreDNS
   * logs), relative to the report directory (reports/state-dumps.ts).
   */
  readonly stateDump?: string;
}

/** A suite file that failed before or outside its checks (an import or a top-level error). */
export interface SuiteError {
  readonly area: string;
  readonly reason: string;
  readonly message: string;
}

/** The content of summary.json. */
export interface Summary {
  readonly totals: {
    readonly passed: number;
    readonly failed: number;
    readonly skipped: number;
    readonly notRun: number;
    readonly total: number;
  };
  /** Why the run ended before every check ran (a signal, --timeout); absent for a whole run. */
  readonly interrupted?: string;
  readonly checks: readonly CheckSummary[];
  readonly suiteErrors: readonly SuiteError[];
  readonly environment: EnvironmentFacts | undefined;
}

// Terminal colour codes, which jest may leave in messages.
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g;

/** A message without colours and without jest's stack trace ("    at …" lines). */
export function cleanMessage(message: string): string {
  return message
    .replace(ansi, '')
    .split('\n')
    .filter((line) => !/^\s+at .+/.test(line))
    .join('\n')
    .trimEnd();
}

/**
 * The first line of a failure: without the error's class ("CheckFailure: ", "Error: ") nor the
 * check id area.ts puts in front of unexpected errors.
 */
export function firstLine(message: string, id?: string): string {
  let line = (
    cleanMessage(message)
      .split('\n')
      .find((l) => l.trim() !== '') ?? ''
  ).trim();
  line = line.replace(/^(?:[A-Za-z]*Error|CheckFailure): /, '');
  if (id !== undefined && line.startsWith(`${id}: `)) line = line.slice(id.length + 2);
  return line;
}

function statusOf(jestStatus: string): CheckStatus {
  if (jestStatus === 'passed') return 'passed';
  if (jestStatus === 'failed') return 'failed';
  return 'skipped';
}

/** The area of a suite file: suites/<area>/… */
function areaOfFile(file: string): string {
  return /suites\/([^/]+)\//.exec(file.replace(/\\/g, '/'))?.[1] ?? file;
}

/**
 * Builds the summary; checks keep jest's order (by file, then registration). `observations` are the
 * checks' recorded observations by id (reports/observations.ts). With `interrupted` (why the run
 * ended early), each check of the catalog that has no result follows, as skipped when it did not
 * apply (its reason known from the catalog), else as not run with `interrupted` as its reason.
 */
export function buildSummary(
  results: JestResults,
  catalog: readonly CatalogEntry[],
  environment: EnvironmentFacts | undefined,
  observations: ReadonlyMap<string, string> = new Map(),
  interrupted?: string,
): Summary {
  const byName = new Map(catalog.map((c) => [`${c.area}\u0000${c.testName}`, c]));
  const checks: CheckSummary[] = [];
  const suiteErrors: SuiteError[] = [];
  for (const file of results.testResults) {
    if (file.assertionResults.length === 0 && file.status === 'failed') {
      const message = cleanMessage(file.message);
      suiteErrors.push({ area: areaOfFile(file.name), reason: firstLine(message), message });
    }
    for (const a of file.assertionResults) {
      const area = a.ancestorTitles[0] ?? areaOfFile(file.name);
      const entry = byName.get(`${area}\u0000${a.title}`);
      const status = statusOf(a.status);
      const id = entry?.id ?? a.title;
      const observed = status === 'skipped' ? undefined : observations.get(id);
      const base = {
        id,
        area,
        title: entry?.title ?? a.title,
        status,
        durationMs: a.duration ?? 0,
        ...(observed === undefined ? {} : { observed }),
      };
      if (status === 'failed') {
        const message = cleanMessage(a.failureMessages.join('\n\n'));
        const reason = firstLine(message, id);
        const kind = failureKind(reason);
        checks.push({ ...base, reason, ...(kind === undefined ? {} : { kind }), message });
      } else if (status === 'skipped') {
        const reason = entry?.skipReason ?? /\(skipped: (.*)\)$/.exec(a.title)?.[1];
        checks.push({ ...base, ...(reason === undefined ? {} : { reason }) });
      } else {
        checks.push(base);
      }
    }
  }
  if (interrupted !== undefined) {
    const done = new Set(checks.map((c) => `${c.area}\u0000${c.id}`));
    for (const c of catalog.filter((e) => !done.has(`${e.area}\u0000${e.id}`))) {
      const status = c.skipReason === undefined ? 'not-run' : 'skipped';
      const reason = c.skipReason ?? interrupted;
      checks.push({ id: c.id, area: c.area, title: c.title, status, durationMs: 0, reason });
    }
  }
  const count = (s: CheckStatus): number => checks.filter((c) => c.status === s).length;
  return {
    totals: {
      passed: count('passed'),
      failed: count('failed'),
      skipped: count('skipped'),
      notRun: count('not-run'),
      total: checks.length,
    },
    ...(interrupted === undefined ? {} : { interrupted }),
    checks,
    suiteErrors,
    environment,
  };
}

/** The counts of one area. */
type AreaCounts = Record<CheckStatus, number> & { area: string };

/** The areas of a summary with their counts, by name. */
export function areaCounts(summary: Summary): AreaCounts[] {
  const rows = new Map<string, AreaCounts>();
  const row = (area: string): AreaCounts => {
    let r = rows.get(area);
    if (r === undefined) {
      r = { area, passed: 0, failed: 0, skipped: 0, 'not-run': 0 };
      rows.set(area, r);
    }
    return r;
  };
  for (const c of summary.checks) row(c.area)[c.status] += 1;
  for (const e of summary.suiteErrors) row(e.area);
  return [...rows.values()].sort((a, b) => a.area.localeCompare(b.area));
}
