// The reports of an interrupted run, from the checks recorded as they finished: the first checks
// of a captured run (reports/testdata) keep their verdicts, every other check of the catalog is
// not run with the interruption as its reason (or skipped, when it did not apply), in summary.json,
// junit.xml and the terminal table.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { readCatalog } from './catalog.ts';
import { finishedChecksFile, readFinishedChecks, recordFinishedCheck } from './finished-checks.ts';
import { renderJunit } from './junit.ts';
import { buildSummary, type JestResults } from './summary.ts';
import { renderTerminalSummary } from './terminal-summary.ts';

const testdata = join(import.meta.dirname, 'testdata');
const whole = JSON.parse(readFileSync(join(testdata, 'jest-results.json'), 'utf8')) as JestResults;
const catalog = readCatalog(testdata);
const reason = 'the run was interrupted by SIGTERM after 42 s';

// The checks of the first suite file that ran (not the skipped ones), as the reporter records them.
const file = whole.testResults[0];
const ran = (file?.assertionResults ?? []).filter((a) => a.status !== 'pending');
const dir = mkdtempSync(join(tmpdir(), 'knc-finished-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
for (const a of ran) recordFinishedCheck(dir, { file: file?.name ?? '', ...a });
// The line being written when the process was killed.
appendFileSync(finishedChecksFile(dir), '{"file":"/x/suites/dns/dns.suite.ts","anc');

const summary = buildSummary(readFinishedChecks(dir), catalog, undefined, new Map(), reason);
const byId = new Map(summary.checks.map((c) => [c.id, c]));
const idOf = (title: string): string | undefined => catalog.find((c) => c.title === title)?.id;

test('the recorded checks come back as they finished, without the line cut short', () => {
  expect(ran.length).toBeGreaterThan(0);
  const back = readFinishedChecks(dir).testResults;
  expect(back.map((f) => f.name)).toEqual([file?.name]);
  expect(back[0]?.assertionResults.map((a) => [a.title, a.status])).toEqual(
    ran.map((a) => [a.title, a.status]),
  );
});

test('every check of the catalog is in the summary once', () => {
  expect(summary.checks.map((c) => c.id).sort()).toEqual(catalog.map((c) => c.id).sort());
  expect(summary.interrupted).toBe(reason);
});

test('finished checks keep their verdict; the rest are not run with the reason, or skipped', () => {
  for (const a of ran) expect(byId.get(idOf(a.title) ?? '')?.status).toBe(a.status);
  const finished = new Set(ran.map((a) => idOf(a.title)));
  for (const c of catalog.filter((e) => !finished.has(e.id))) {
    const s = byId.get(c.id);
    if (c.skipReason === undefined) expect(s).toMatchObject({ status: 'not-run', reason });
    else expect(s).toMatchObject({ status: 'skipped', reason: c.skipReason });
  }
  const t = summary.totals;
  expect(t.notRun).toBe(catalog.filter((c) => !finished.has(c.id) && !c.skipReason).length);
  expect(t.passed + t.failed + t.skipped + t.notRun).toBe(t.total);
});

test('junit.xml shows a check that did not run as skipped, saying why', () => {
  const xml = renderJunit(summary);
  const notRun = summary.checks.filter((c) => c.status === 'not-run');
  expect(xml.split(`<skipped message="not run: ${reason}"/>`)).toHaveLength(notRun.length + 1);
  expect(xml).toContain(`skipped="${String(summary.totals.skipped + summary.totals.notRun)}"`);
});

test('the terminal table has a column of checks not run and ends with the reason', () => {
  const text = renderTerminalSummary(summary);
  expect(text.split('\n')[0]).toMatch(/skipped {2}not run$/);
  expect(text).toMatch(new RegExp(`^total .* ${String(summary.totals.notRun)}$`, 'm'));
  expect(text).toContain(`not run: ${reason}`);
  const whole = renderTerminalSummary(buildSummary(readFinishedChecks(dir), catalog, undefined));
  expect(whole).not.toContain('not run');
});
