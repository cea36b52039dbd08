import { describe, expect, it } from '@jest/globals';
import {
  chiSquareCriticalValue,
  chiSquareGoodnessOfFit,
  chiSquareSurvival,
  coverageRequests,
  falseAlarmRate,
  histogram,
  logGamma,
  regularizedUpperGamma,
  renderSpread,
  uniformSpreadTest,
  zeroCountProbability,
} from './spread.ts';

describe('histogram', () => {
  it.each([
    {
      name: 'counts values, expected keys first in order, zeros kept',
      values: ['b', 'a', 'b'],
      keys: ['a', 'b', 'c'],
      want: [
        ['a', 1],
        ['b', 2],
        ['c', 0],
      ],
    },
    {
      name: 'unexpected values follow, sorted',
      values: ['z', 'a', 'y', 'z'],
      keys: ['a'],
      want: [
        ['a', 1],
        ['y', 1],
        ['z', 2],
      ],
    },
    { name: 'no values', values: [], keys: ['a'], want: [['a', 0]] },
  ])('$name', ({ values, keys, want }) => {
    expect([...histogram(values, keys)]).toEqual(want);
  });
});

describe('logGamma', () => {
  it.each([
    { z: 1, want: 0 },
    { z: 2, want: 0 },
    { z: 5, want: Math.log(24) },
    { z: 0.5, want: 0.5 * Math.log(Math.PI) },
    { z: 0.25, want: Math.log(3.625609908221908) },
    { z: 101, want: 363.73937555556347 }, // ln 100!
  ])('ln Γ($z)', ({ z, want }) => {
    expect(logGamma(z)).toBeCloseTo(want, 8);
  });

  it('rejects z ≤ 0', () => {
    expect(() => logGamma(0)).toThrow(/z > 0/);
  });
});

describe('chiSquareSurvival', () => {
  // Closed forms for even df: df=2 → e^(-x/2); df=4 → e^(-x/2)(1 + x/2).
  it.each([0.1, 1, 2.5, 5, 13.8155, 30, 60])('df=2 at x=%p matches e^(-x/2)', (x) => {
    expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
  });
  it.each([0.5, 3, 9.49, 18.467, 40])('df=4 at x=%p matches e^(-x/2)(1+x/2)', (x) => {
    expect(chiSquareSurvival(x, 4)).toBeCloseTo(Math.exp(-x / 2) * (1 + x / 2), 12);
  });
  // Table values (critical values of the chi-square distribution).
  it.each([
    { x: 3.841458820694124, df: 1, p: 0.05 },
    { x: 10.827566170662733, df: 1, p: 0.001 },
    { x: 16.26623619623813, df: 3, p: 0.001 },
    { x: 18.307038053275146, df: 10, p: 0.05 },
    { x: 29.58829844507442, df: 10, p: 0.001 },
  ])('P(χ²($df) ≥ $x) = $p', ({ x, df, p }) => {
    expect(chiSquareSurvival(x, df)).toBeCloseTo(p, 10);
  });
  // The far tail, where a test at alpha 5e-7 and below decides: relative error, not digits.
  it.each([13.8, 27.6, 29.0, 41.4, 55.3, 69.1])('df=2 at x=%p: relative error below 1e-13', (x) => {
    const want = Math.exp(-x / 2);
    expect(Math.abs(chiSquareSurvival(x, 2) / want - 1)).toBeLessThan(1e-13);
  });
  it.each([20, 33, 45, 60, 75])('df=4 at x=%p: relative error below 1e-13', (x) => {
    const want = Math.exp(-x / 2) * (1 + x / 2);
    expect(Math.abs(chiSquareSurvival(x, 4) / want - 1)).toBeLessThan(1e-13);
  });
  // Odd degrees of freedom, against values computed to 30 digits with mpmath (rounded to doubles)'s gammainc.
  it.each([
    { df: 1, x: 29, p: 7.237829871740007e-8 },
    { df: 1, x: 55, p: 1.2052982584446393e-13 },
    { df: 1, x: 70, p: 5.930445850082487e-17 },
    { df: 3, x: 33, p: 3.2206727081176977e-7 },
    { df: 3, x: 60, p: 5.878230727906912e-13 },
    { df: 10, x: 55, p: 3.158065102752031e-8 },
    { df: 10, x: 80, p: 5.020464318829134e-13 },
  ])('P(χ²($df) ≥ $x) = $p to a relative 1e-13', ({ x, df, p }) => {
    expect(Math.abs(chiSquareSurvival(x, df) / p - 1)).toBeLessThan(1e-13);
  });
  it('is 1 at and below zero', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(-1, 3)).toBe(1);
  });
  it('rejects non-positive degrees of freedom', () => {
    expect(() => chiSquareSurvival(1, 0)).toThrow(/degrees of freedom/);
  });
});

describe('regularizedUpperGamma', () => {
  it('is 1 at x = 0 and falls towards 0', () => {
    expect(regularizedUpperGamma(3, 0)).toBe(1);
    expect(regularizedUpperGamma(3, 100)).toBeLessThan(1e-30);
  });
  it('is e^-x for a = 1 on both sides of a+1 (series and continued fraction)', () => {
    for (const x of [0.3, 1.9, 2.1, 7])
      expect(regularizedUpperGamma(1, x)).toBeCloseTo(Math.exp(-x), 12);
  });
});

describe('chiSquareCriticalValue', () => {
  it.each([
    { df: 1, alpha: 0.05, want: 3.841458820694124 },
    { df: 2, alpha: 0.001, want: 13.815510557964274 },
    { df: 3, alpha: 0.001, want: 16.26623619623813 },
    { df: 10, alpha: 0.001, want: 29.58829844507442 },
    { df: 2, alpha: 5e-7, want: -2 * Math.log(5e-7) },
    { df: 2, alpha: 1e-12, want: -2 * Math.log(1e-12) },
  ])('df=$df alpha=$alpha → $want', ({ df, alpha, want }) => {
    expect(chiSquareCriticalValue(df, alpha)).toBeCloseTo(want, 6);
  });
});

describe('chiSquareGoodnessOfFit', () => {
  it.each([
    {
      name: 'a perfect uniform spread is not rejected',
      observed: [100, 100, 100],
      proportions: undefined,
      statistic: 0,
      pValue: 1,
      rejected: false,
    },
    {
      name: 'a small deviation is not rejected (df 2, p = e^-0.75)',
      observed: [110, 95, 95],
      proportions: undefined,
      statistic: 1.5,
      pValue: Math.exp(-0.75),
      rejected: false,
    },
    {
      name: 'one backend taking everything is rejected',
      observed: [300, 0, 0],
      proportions: undefined,
      statistic: 600,
      pValue: Math.exp(-300),
      rejected: true,
    },
    {
      name: 'given proportions are the hypothesis',
      observed: [150, 75, 75],
      proportions: [2, 1, 1],
      statistic: 0,
      pValue: 1,
      rejected: false,
    },
    {
      name: 'just above the 5 % critical value (df 1), kept at 0.001',
      observed: [167, 133],
      proportions: undefined,
      statistic: 3.8533333333333335,
      pValue: 0.0496,
      rejected: false,
    },
  ])('$name', ({ observed, proportions, statistic, pValue, rejected }) => {
    const t = chiSquareGoodnessOfFit(observed, 0.001, proportions);
    expect(t.statistic).toBeCloseTo(statistic, 9);
    expect(t.pValue).toBeCloseTo(pValue, 4);
    expect(t.rejected).toBe(rejected);
    expect(t.degreesOfFreedom).toBe(observed.length - 1);
  });

  it('rejects at alpha 0.05 what it keeps at 0.001', () => {
    const observed = [125, 90, 85];
    expect(chiSquareGoodnessOfFit(observed, 0.05).rejected).toBe(true);
    expect(chiSquareGoodnessOfFit(observed, 0.001).rejected).toBe(false);
  });

  it.each([
    { observed: [5], alpha: 0.01, error: /at least 2 cells/ },
    { observed: [0, 0], alpha: 0.01, error: /positive total/ },
    { observed: [1, 2], alpha: 0, error: /alpha/ },
  ])('refuses $observed at alpha $alpha', ({ observed, alpha, error }) => {
    expect(() => chiSquareGoodnessOfFit(observed, alpha)).toThrow(error);
  });

  it('refuses proportions of another length', () => {
    expect(() => chiSquareGoodnessOfFit([1, 2], 0.01, [1, 1, 1])).toThrow(/3 proportions for 2/);
  });
});

/** ln 0! … ln n!, summed from logarithms (relative error about 1e-13, far below the figures tested). */
function logFactorials(n: number): number[] {
  const table = [0];
  for (let i = 1; i <= n; i += 1) table.push((table[i - 1] ?? 0) + Math.log(i));
  return table;
}

/**
 * P(some of `backends` unseen after `requests` uniform picks), by another route than
 * inclusion–exclusion: the chain of how many backends were seen so far, the probability of every
 * state short of all of them summed.
 */
function missedByChain(requests: number, backends: number): number {
  let seen: number[] = Array.from({ length: backends + 1 }, (_, s) => (s === 0 ? 1 : 0));
  for (let i = 0; i < requests; i += 1) {
    const next = seen.map(() => 0);
    seen.forEach((p, s) => {
      next[s] = (next[s] ?? 0) + (p * s) / backends;
      if (s < backends) next[s + 1] = (next[s + 1] ?? 0) + (p * (backends - s)) / backends;
    });
    seen = next;
  }
  return seen.slice(0, backends).reduce((a, b) => a + b, 0);
}

/** P(some target of `targets` misses a backend), targets independent. */
function missedAtSomeTarget(requests: number, backends: number, targets: number): number {
  return 1 - (1 - missedByChain(requests, backends)) ** targets;
}

describe('zeroCountProbability', () => {
  /** Every sequence of picks enumerated: the share of those that leave a backend out. */
  function enumerated(requests: number, backends: number): number {
    let missing = 0;
    const sequences = backends ** requests;
    for (let code = 0; code < sequences; code += 1) {
      const seen = new Set<number>();
      for (let i = 0, c = code; i < requests; i += 1, c = Math.floor(c / backends))
        seen.add(c % backends);
      if (seen.size < backends) missing += 1;
    }
    return missing / sequences;
  }

  it.each([
    [1, 1],
    [2, 3],
    [3, 2],
    [3, 3],
    [8, 3],
    [6, 4],
    [7, 5],
  ])('%p requests over %p backends: as many as enumerating every sequence says', (n, k) => {
    expect(zeroCountProbability(n, k)).toBeCloseTo(enumerated(n, k), 14);
  });

  it.each([
    [30, 3],
    [40, 3],
    [53, 4],
    [100, 2],
  ])('%p requests over %p backends: as the chain of backends seen so far says', (n, k) => {
    const chain = missedByChain(n, k);
    expect(Math.abs(zeroCountProbability(n, k) / chain - 1)).toBeLessThan(1e-9);
  });
});

describe('coverageRequests', () => {
  it.each([
    { backends: 3, targets: 1, falseAlarm: falseAlarmRate },
    { backends: 3, targets: 3, falseAlarm: falseAlarmRate },
    { backends: 4, targets: 1, falseAlarm: falseAlarmRate },
    { backends: 3, targets: 10, falseAlarm: falseAlarmRate },
    { backends: 3, targets: 1, falseAlarm: falseAlarmRate - uniformSpreadTest.alpha },
    { backends: 2, targets: 1, falseAlarm: 0.01 },
  ])(
    '$backends backends at $targets target(s): the fewest requests within $falseAlarm',
    ({ backends, targets, falseAlarm }) => {
      const n = coverageRequests(backends, targets, falseAlarm);
      expect(missedAtSomeTarget(n, backends, targets)).toBeLessThanOrEqual(falseAlarm);
      expect(missedAtSomeTarget(n - 1, backends, targets)).toBeGreaterThan(falseAlarm);
    },
  );

  // The figures the checks' headers state.
  it.each([
    { check: 'a ClusterIP from inside', backends: 3, targets: 1, n: 37, p: '9.2e-7' },
    { check: 'a node port on 3 nodes', backends: 3, targets: 3, n: 40, p: '8.1e-7' },
    { check: 'scaled up to 4', backends: 4, targets: 1, n: 53, p: '9.6e-7' },
  ])('$check: $n requests, missed by chance with probability $p', ({ backends, targets, n, p }) => {
    expect(coverageRequests(backends, targets)).toBe(n);
    expect(missedAtSomeTarget(n, backends, targets).toPrecision(2)).toBe(p);
  });

  it('one backend needs one request', () => {
    expect(coverageRequests(1, 5)).toBe(1);
  });
});

describe('uniformSpreadTest over 3 endpoints, every outcome (a, b, c) of the requests summed', () => {
  const { requests: n, alpha } = uniformSpreadTest;
  const lnFactorial = logFactorials(n);
  let falseAlarm = 0;
  let power = 0;
  for (let a = 0; a <= n; a += 1) {
    for (let b = 0; a + b <= n; b += 1) {
      const c = n - a - b;
      if (!chiSquareGoodnessOfFit([a, b, c], alpha).rejected) continue;
      const lnCount =
        (lnFactorial[n] ?? 0) -
        (lnFactorial[a] ?? 0) -
        (lnFactorial[b] ?? 0) -
        (lnFactorial[c] ?? 0);
      falseAlarm += Math.exp(lnCount - n * Math.log(3));
      power += Math.exp(lnCount + a * Math.log(0.5) + (b + c) * Math.log(0.25));
    }
  }
  // The warm-up of the clusterip check before its measurement, within the rest of the budget.
  const warmUp = coverageRequests(3, 1, falseAlarmRate - alpha);

  it('rejects a uniform spread with probability 4.9e-7, below alpha', () => {
    expect(falseAlarm.toPrecision(2)).toBe('4.9e-7');
    expect(falseAlarm).toBeLessThanOrEqual(alpha);
  });

  it('catches a 0.5/0.25/0.25 skew (150/75/75 of 300) with probability 0.9992', () => {
    expect(power.toFixed(4)).toBe('0.9992');
    expect(power).toBeGreaterThanOrEqual(0.999);
  });

  it('fails a correct proxy at most once in a million runs, warm-up included', () => {
    expect(warmUp).toBe(39);
    expect(falseAlarm + missedByChain(warmUp, 3) + missedByChain(n, 3)).toBeLessThanOrEqual(
      falseAlarmRate,
    );
  });
});

describe('renderSpread', () => {
  it('prints backend, observed, expected and the χ² contribution in columns', () => {
    expect(
      renderSpread([
        { key: 'web-a', observed: 110, expected: 100 },
        { key: 'web-b', observed: 0, expected: 100 },
      ]),
    ).toBe(
      [
        'backend  observed  expected  (o-e)²/e',
        'web-a         110     100.0      1.00',
        'web-b           0     100.0    100.00',
      ].join('\n'),
    );
  });
});
