import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  attachStateDumps,
  readStateDumps,
  stateDumpAttachmentName,
  withStateDumps,
  writeStateDump,
} from './state-dumps.ts';
import type { CheckSummary, Summary } from './summary.ts';

let dir: string;
let results: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'knc-dumps-'));
  results = join(dir, 'allure-results');
  mkdirSync(results);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** An allure-jest result of a check of `area`. */
function result(name: string, area: string, status: string): void {
  writeFileSync(
    join(results, `${name}-result.json`),
    JSON.stringify({
      name,
      status,
      labels: [{ name: 'parentSuite', value: area }],
      attachments: [{ name: 'evidence', source: `${name}-e-attachment.txt`, type: 'text/plain' }],
    }),
  );
}

const read = (name: string): { attachments: { name: string; source: string }[] } =>
  JSON.parse(readFileSync(join(results, `${name}-result.json`), 'utf8')) as {
    attachments: { name: string; source: string }[];
  };

describe('state dumps in the report', () => {
  test('written as dumps/<area>.txt and found again by area', () => {
    writeStateDump('dns', 'state dump of area dns\n', dir);
    expect(readFileSync(join(dir, 'dumps', 'dns.txt'), 'utf8')).toBe('state dump of area dns\n');
    expect([...readStateDumps(dir)]).toEqual([['dns', 'dumps/dns.txt']]);
    expect(readStateDumps(join(dir, 'none')).size).toBe(0);
  });

  test("one copy per area, pointed at by each of the area's failed and broken checks only", () => {
    writeStateDump('dns', 'the dump\n', dir);
    result('fqdn', 'dns', 'failed');
    result('srv', 'dns', 'broken');
    result('resolv', 'dns', 'passed');
    result('spread', 'clusterip', 'failed');
    expect(attachStateDumps(results, dir)).toBe(2);
    const name = stateDumpAttachmentName('dns');
    const fqdn = read('fqdn').attachments;
    const srv = read('srv').attachments;
    expect(fqdn.map((a) => a.name)).toEqual(['evidence', name]);
    expect(srv.at(-1)).toEqual(fqdn.at(-1));
    expect(read('resolv').attachments.map((a) => a.name)).toEqual(['evidence']);
    expect(read('spread').attachments.map((a) => a.name)).toEqual(['evidence']);
    const copies = readdirSync(results).filter((f) => f.endsWith('-attachment.txt'));
    expect(copies).toEqual([fqdn.at(-1)?.source]);
    expect(readFileSync(join(results, copies[0] ?? ''), 'utf8')).toBe('the dump\n');
    // a second pass adds nothing
    expect(attachStateDumps(results, dir)).toBe(0);
  });

  test("summary.json names the dump of each failed check's area", () => {
    const check = (id: string, area: string, status: CheckSummary['status']): CheckSummary => ({
      id,
      area,
      title: id,
      status,
      durationMs: 1,
    });
    const summary: Summary = {
      totals: { passed: 1, failed: 2, skipped: 0, notRun: 0, total: 3 },
      checks: [
        check('dns/a', 'dns', 'failed'),
        check('dns/b', 'dns', 'passed'),
        check('clusterip/c', 'clusterip', 'failed'),
      ],
      suiteErrors: [],
      environment: undefined,
    };
    const withDumps = withStateDumps(summary, new Map([['dns', 'dumps/dns.txt']]));
    expect(withDumps.checks.map((c) => c.stateDump)).toEqual([
      'dumps/dns.txt',
      undefined,
      undefined,
    ]);
  });
});
