/**
 * Observations: the one-line value a check saw, for checks whose expected behaviour differs between
 * kube-proxy modes ("echo reply", "refused", "round robin 30/30/30"). Each suite process writes one
 * file per observing check to `<report dir>/observations/`; summary.json carries them and the mode
 * comparison (reports/mode-comparison.ts) sets them side by side across runs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportDirOf } from './catalog.ts';

/** One check's observation. */
export interface Observation {
  readonly id: string;
  readonly observed: string;
}

/** Records what check `id` observed (called once per run of the check). */
export function recordObservation(id: string, observed: string, reportDir = reportDirOf()): void {
  const dir = join(reportDir, 'observations');
  mkdirSync(dir, { recursive: true });
  const entry: Observation = { id, observed };
  writeFileSync(join(dir, `${id.replaceAll('/', '__')}.json`), `${JSON.stringify(entry)}\n`);
}

/** Reads the observations of a run: check id → observed value (empty when none was recorded). */
export function readObservations(reportDir: string): Map<string, string> {
  const dir = join(reportDir, 'observations');
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Observation)
      .map((o) => [o.id, o.observed]),
  );
}
