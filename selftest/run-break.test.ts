import { describe, expect, test } from '@jest/globals';
import type { JestResults } from '../reports/summary.ts';
import { observedChecks, verdictOf } from './run-break.ts';

describe('verdictOf', () => {
  const cases: { name: string; message: string; want: string }[] = [
    {
      name: 'drops the error name, the evidence and the stack',
      message:
        'CheckFailure: client → web:80: expected Reached, observed TimedOut\n\n== probe ==\nTimedOut somewhere\n    at assess (file.ts:1:1)',
      want: 'client → web:80: expected Reached, observed TimedOut',
    },
    {
      name: 'keeps a multi-line verdict',
      message: 'Error: line one\nline two\n    at x (y.ts:1:1)',
      want: 'line one\nline two',
    },
    { name: 'removes colour codes', message: '\u001b[31mError: red\u001b[39m', want: 'red' },
  ];
  test.each(cases)('$name', ({ message, want }) => {
    expect(verdictOf(message)).toBe(want);
  });
});

describe('observedChecks', () => {
  const catalog = [
    { id: 'dns/a', area: 'dns', title: 'A resolves', testName: 'A resolves' },
    { id: 'dns/b', area: 'dns', title: 'B resolves', testName: 'B resolves (skipped: no B)' },
    { id: 'nodeport/c', area: 'nodeport', title: 'C', testName: 'C' },
  ];
  const results: JestResults = {
    testResults: [
      {
        name: '/repo/suites/dns/dns.suite.ts',
        status: 'failed',
        message: '',
        assertionResults: [
          {
            ancestorTitles: ['dns'],
            title: 'A resolves',
            status: 'failed',
            failureMessages: ['CheckFailure: observed TimedOut\n\nevidence'],
          },
          {
            ancestorTitles: ['dns'],
            title: 'B resolves (skipped: no B)',
            status: 'pending',
            failureMessages: [],
          },
          {
            ancestorTitles: ['dns'],
            title: 'not in the catalog',
            status: 'passed',
            failureMessages: [],
          },
        ],
      },
      {
        name: '/repo/suites/nodeport/nodeport.suite.ts',
        status: 'failed',
        message: 'SyntaxError: Unexpected token\n    at x',
        assertionResults: [],
      },
    ],
  };

  test('joins test names with check ids; checks jest never reported are not run', () => {
    const { checks, suiteErrors } = observedChecks(results, catalog);
    expect(checks).toEqual([
      { id: 'dns/a', title: 'A resolves', status: 'failed', message: 'observed TimedOut' },
      { id: 'dns/b', title: 'B resolves', status: 'skipped', message: '' },
      { id: 'not in the catalog', title: 'not in the catalog', status: 'passed', message: '' },
      { id: 'nodeport/c', title: 'C', status: 'not run', message: '' },
    ]);
    expect(suiteErrors).toEqual(['/repo/suites/nodeport/nodeport.suite.ts: Unexpected token']);
  });
});
