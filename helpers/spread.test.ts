import { describe, expect, it } from '@jest/globals';
import {
  chiSquareCriticalValue,
  chiSquareGoodnessOfFit,
  chiSquareSurvival,
  histogram,
  logGamma,
  regularizedUpperGamma,
  renderSpread,
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
