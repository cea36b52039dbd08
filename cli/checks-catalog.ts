/**
 * The checks that exist, found without a cluster: one file per check under
 * suites/<area>/checks/, whose default export is `defineCheck({ id, title, … })`. The check
 * modules are imported: they do no cluster or Docker I/O at import time (the facts their
 * requirements need are read by registerArea, suites/framework/cluster-facts.ts).
 *
 * Also here: resolving `--suites`/`--skip`, whose items are areas or check ids.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../clusters/paths.ts';
import { program } from './program.ts';
import { suiteAreas } from './suites.ts';
import { UsageError } from './usage-error.ts';

/** One check as declared in its file. */
export interface CheckInfo {
  /** <area>/<file name without .ts>. */
  readonly id: string;
  readonly area: string;
  /** The check's sentence. */
  readonly title: string;
  /** Path relative to the repository. */
  readonly file: string;
}

/**
 * Imports the module at `path` and reads id and title of its default export.
 * @throws {Error} naming `file` when the default export is not a check.
 */
export async function readCheckModule(
  path: string,
  file: string,
): Promise<{ id: string; title: string }> {
  const check = ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
  if (
    typeof check === 'object' &&
    check !== null &&
    'id' in check &&
    'title' in check &&
    typeof check.id === 'string' &&
    typeof check.title === 'string'
  )
    return { id: check.id, title: check.title };
  throw new Error(`${file}: expected \`export default defineCheck({ id, title, … })\``);
}

/**
 * Every check of every area, sorted by id.
 * @throws {Error} when a check file cannot be read as a check or its id is not <area>/<file name>.
 */
export async function checkCatalog(): Promise<CheckInfo[]> {
  const files = suiteAreas().flatMap((area) => {
    const dir = join(repoRoot, 'suites', area, 'checks');
    let names: string[];
    try {
      names = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    } catch {
      return [];
    }
    return names.map((name) => ({ area, name, file: join('suites', area, 'checks', name) }));
  });
  const out = await Promise.all(
    files.map(async ({ area, name, file }) => {
      const { id, title } = await readCheckModule(join(repoRoot, file), file);
      const expected = `${area}/${basename(name, '.ts')}`;
      if (id !== expected)
        throw new Error(`${file}: the check's id is "${id}", expected "${expected}"`);
      return { id, area, title, file };
    }),
  );
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Levenshtein distance between a and b. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The words of an id: split at "/" and "-". */
function words(id: string): string[] {
  return id.split(/[/-]/).filter((w) => w !== '');
}

/** Words match when equal, or when one of 3+ letters starts the other ("port", "ports"). */
function sameWord(a: string, b: string): boolean {
  return a === b || (Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a)));
}

/**
 * The candidates closest to `input`, best first: those within an edit distance of a third of the
 * input's length (typos), or else those sharing the most words with it, a word matching when one
 * starts with the other ("port" and "ports"), at least half of the input's words.
 */
export function closeMatches(input: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(input.length / 3));
  const near = candidates
    .map((c) => ({ c, d: editDistance(input, c) }))
    .filter((s) => s.d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .map((s) => s.c);
  if (near.length > 0) return near.slice(0, max);
  const mine = words(input.slice(input.indexOf('/') + 1));
  if (mine.length === 0) return [];
  return candidates
    .map((c) => {
      const theirs = words(c.slice(c.indexOf('/') + 1));
      const shared = mine.filter((w) => theirs.some((t) => sameWord(w, t)));
      return { c, n: shared.length };
    })
    .filter((s) => s.n * 2 >= mine.length && s.n > 0)
    .sort((x, y) => y.n - x.n || x.c.localeCompare(y.c))
    .map((s) => s.c)
    .slice(0, max);
}

/** What `--suites`/`--skip` select. */
export interface Selection {
  /** Areas to run, sorted. */
  readonly areas: string[];
  /** Ids of the checks to run when a check id was named; undefined: every check of `areas`. */
  readonly checks: string[] | undefined;
}

/**
 * Resolves the items of `--suites` and `--skip` (areas or check ids). `catalog` is called only
 * when a check id is named (it imports every check module).
 * @throws {UsageError} for an unknown area or check id (listing the valid areas or the closest
 * ids) and when nothing is left to run.
 */
export async function resolveSelection(
  suites: readonly string[],
  skip: readonly string[],
  areas: readonly string[],
  catalog: () => Promise<readonly CheckInfo[]>,
): Promise<Selection> {
  const items = [...suites, ...skip];
  let checks: readonly CheckInfo[] | undefined;
  for (const item of items) {
    if (!item.includes('/')) {
      if (!areas.includes(item))
        throw new UsageError(
          `unknown suite "${item}"`,
          `use one of: ${areas.join(', ')} (or a check id; \`${program} list\` shows them)`,
        );
      continue;
    }
    checks ??= await catalog();
    if (checks.some((c) => c.id === item)) continue;
    const area = item.slice(0, item.indexOf('/'));
    const pool = checks.filter((c) => c.area === area).map((c) => c.id);
    const near = closeMatches(item, pool.length > 0 ? pool : checks.map((c) => c.id));
    const hint =
      near.length > 0
        ? `did you mean ${near.join(', ')}?`
        : pool.length > 0
          ? `the checks of ${area} are ${pool.join(', ')}`
          : `the areas are ${areas.join(', ')}`;
    throw new UsageError(
      `unknown check "${item}"`,
      `${hint} (\`${program} list\` shows every check id)`,
    );
  }
  const nothingLeft = new UsageError(
    'no check left to run after --suites/--skip',
    `choose among: ${areas.join(', ')} (\`${program} list\` shows the check ids)`,
  );
  if (checks === undefined) {
    const chosen = (suites.length > 0 ? areas.filter((a) => suites.includes(a)) : areas).filter(
      (a) => !skip.includes(a),
    );
    if (chosen.length === 0) throw nothingLeft;
    return { areas: chosen, checks: undefined };
  }
  const inItems = (c: CheckInfo, list: readonly string[]): boolean =>
    list.includes(c.area) || list.includes(c.id);
  const selected = checks.filter(
    (c) => (suites.length === 0 || inItems(c, suites)) && !inItems(c, skip),
  );
  if (selected.length === 0) throw nothingLeft;
  return {
    areas: areas.filter((a) => selected.some((c) => c.area === a)),
    checks: selected.map((c) => c.id),
  };
}
