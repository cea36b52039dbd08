import { describe, expect, test } from '@jest/globals';
import { allureCategories, failureKind } from './categories.ts';

describe('failureKind', () => {
  const cases: [string, string, string | undefined][] = [
    [
      'set-up wins over the timeout it wraps',
      'set-up of kube-proxy failed: timed out after 120.0 s (deadline "rollout") waiting for web',
      'set-up',
    ],
    ['a hook that ran out of time', 'thrown: "Exceeded timeout of 300000 ms for a hook.', 'set-up'],
    [
      'a poll deadline',
      'kube-proxy/x: timed out after 30.0 s (deadline "proxyRulesConverge") waiting for rules; 3 attempt(s)',
      'timeout',
    ],
    ['a test deadline', 'thrown: "Exceeded timeout of 600000 ms for a test.', 'timeout'],
    [
      'an uneven spread',
      'client → web:80 expected 3 backends, saw 2 (web-2 got 0 of 600 requests)',
      'imbalance',
    ],
    [
      'a chi-square verdict',
      'web:80: expected a uniform random spread over 3 endpoints, observed χ² = 31.20 > 5.99',
      'imbalance',
    ],
    ['refused', 'client → web:80 expected Reached, observed Refused', 'unreachable'],
    ['no name', 'client → web.other expected Reached, observed NameNotResolved', 'unreachable'],
    [
      'a wrong mode',
      '1 of 3 node(s) do not report ipvs:\nkind-worker   expected ipvs   observed iptables',
      'wrong answer',
    ],
    [
      'only the first line counts',
      'service IP 10.96.0.9 is outside 10.96.0.0/12\n\n=== probe ===\ncurl: (7) Refused',
      undefined,
    ],
    [
      'an unexpected crash',
      "TypeError: Cannot read properties of undefined (reading 'x')",
      undefined,
    ],
  ];
  test.each(cases)('%s', (_name, message, kind) => {
    expect(failureKind(message)).toBe(kind);
  });
});

test('the categories are Allure categories of failed and broken results, in order', () => {
  const categories = allureCategories() as { name: string; matchedStatuses: string[] }[];
  expect(categories.map((c) => c.name)).toEqual([
    'set-up',
    'timeout',
    'imbalance',
    'unreachable',
    'wrong answer',
  ]);
  for (const c of categories) expect(c.matchedStatuses).toEqual(['failed', 'broken']);
});
