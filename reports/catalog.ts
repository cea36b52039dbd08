/**
 * The catalog of checks: which jest test is which check. jest's results only carry test names, so
 * each suite process writes, when it registers an area, one file `<report dir>/checks/<area>.json`
 * listing every check with its id, its jest test name and, for skipped checks, the reason. The
 * summary (summary.json, junit.xml, the terminal table) joins jest's results with it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runDescription, type RunDescription } from '../helpers/run-description.ts';

/** One check as registered. */
export interface CatalogEntry {
  readonly id: string;
  readonly area: string;
  /** The check's sentence. */
  readonly title: string;
  /** The jest test name: the title, plus " (skipped: reason)" for a skipped check. */
  readonly testName: string;
  /** Why the check does not apply to this cluster; undefined when it runs. */
  readonly skipReason?: string;
}

/** The skip reason of a check left out by `--suites`/`--skip` check ids. */
export const notSelectedReason = 'not selected (--suites/--skip)';

/** The jest test name of a check (skipped checks carry their reason, as jest shows it). */
export function testNameOf(title: string, skipReason: string | undefined): string {
  return skipReason === undefined ? title : `${title} (skipped: ${skipReason})`;
}

/** The directory reports go to in a suite process (the run description's, from `netconform run`). */
export function reportDirOf(description: RunDescription = runDescription()): string {
  return description.settings.reportDir ?? resolve(import.meta.dirname, 'out');
}

/** Writes the catalog of `area` (called once per area, when its checks are registered). */
export function declareChecks(
  area: string,
  entries: readonly CatalogEntry[],
  reportDir = reportDirOf(),
): void {
  const dir = join(reportDir, 'checks');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${area}.json`), `${JSON.stringify(entries, null, 2)}\n`);
}

/** Reads every area's catalog from `reportDir` (empty when no suite wrote one). */
export function readCatalog(reportDir: string): CatalogEntry[] {
  const dir = join(reportDir, 'checks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CatalogEntry[]);
}
