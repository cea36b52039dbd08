/**
 * Statistics of a request spread: how many of N requests each backend answered, and whether that
 * histogram is consistent with the policy the load balancer claims (a chi-square goodness-of-fit
 * test against given proportions, uniform by default); and how many requests a check needs so
 * that a healthy proxy, picking a backend at random per connection, fails it by chance at most
 * once in {@link falseAlarmRate} runs.
 *
 * The chi-square tail probability is computed from the regularized upper incomplete gamma
 * function, Q(df/2, x/2): a power series below a+1 and a continued fraction above it, with the
 * log-gamma function from the Lanczos approximation. Its relative error stays near 1e-15 down to
 * tails of 1e-16 (spread.test.ts), so a test at alpha 5e-7 rejects exactly where it should.
 */

/**
 * How often a statistical check may fail by chance on a healthy cluster: once in a million runs
 * (a pipeline that runs 20 times a day would see one false failure in about 140 years).
 */
export const falseAlarmRate = 1e-6;

/**
 * The uniformity test of the spread checks: requests sent and the chi-square test's alpha. Over
 * 3 endpoints (their fixtures' replicas), summed over every multinomial outcome (spread.test.ts),
 * a uniform spread is rejected with probability 4.9e-7, and a 0.5/0.25/0.25 skew (150/75/75 of
 * 300) is caught with probability 0.9992; 600 is about the fewest requests that give 0.999.
 */
export const uniformSpreadTest = { requests: 600, alpha: 5e-7 } as const;

/** One row of a spread: a backend, how often it answered, how often it was expected to. */
export interface SpreadRow {
  readonly key: string;
  readonly observed: number;
  readonly expected: number;
}

/**
 * Counts how often each value occurs. Every key of `expectedKeys` is present (0 when it never
 * occurred), in that order; values outside `expectedKeys` follow, sorted.
 */
export function histogram(
  values: readonly string[],
  expectedKeys: readonly string[],
): Map<string, number> {
  const counts = new Map<string, number>(expectedKeys.map((k) => [k, 0]));
  const extra = new Map<string, number>();
  for (const v of values) {
    if (counts.has(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
    else extra.set(v, (extra.get(v) ?? 0) + 1);
  }
  for (const k of [...extra.keys()].sort()) counts.set(k, extra.get(k) ?? 0);
  return counts;
}

/** The result of a chi-square goodness-of-fit test. */
export interface ChiSquareTest {
  /** Sum over cells of (observed - expected)² / expected. */
  readonly statistic: number;
  /** Cells minus one. */
  readonly degreesOfFreedom: number;
  /** P(χ² ≥ statistic) under the hypothesis. */
  readonly pValue: number;
  /** The significance level the test was run at. */
  readonly alpha: number;
  /** The statistic above which the hypothesis is rejected at `alpha`. */
  readonly criticalValue: number;
  /** True when pValue < alpha: the counts are not consistent with the proportions. */
  readonly rejected: boolean;
  /** The expected count of each cell. */
  readonly expected: readonly number[];
}

/**
 * Tests whether `observed` counts are consistent with `proportions` (uniform when omitted) at
 * significance `alpha`: under the hypothesis, the test rejects with probability alpha (its
 * false-alarm rate). Needs at least two cells and a positive total.
 */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  alpha: number,
  proportions?: readonly number[],
): ChiSquareTest {
  const k = observed.length;
  if (k < 2) throw new Error(`a chi-square test needs at least 2 cells, got ${k}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`alpha must be in (0, 1), got ${alpha}`);
  const total = observed.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new Error('a chi-square test needs a positive total count');
  const weights = proportions ?? observed.map(() => 1);
  if (weights.length !== k) {
    throw new Error(`${weights.length} proportions for ${k} cells`);
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  let statistic = 0;
  for (let i = 0; i < k; i += 1) {
    const e = expected[i] ?? 0;
    if (e <= 0) throw new Error(`cell ${i} has an expected count of ${e}`);
    const d = (observed[i] ?? 0) - e;
    statistic += (d * d) / e;
  }
  const degreesOfFreedom = k - 1;
  const pValue = chiSquareSurvival(statistic, degreesOfFreedom);
  return {
    statistic,
    degreesOfFreedom,
    pValue,
    alpha,
    criticalValue: chiSquareCriticalValue(degreesOfFreedom, alpha),
    rejected: pValue < alpha,
    expected,
  };
}

/** P(X ≥ x) for X chi-square distributed with `df` degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) throw new Error(`degrees of freedom must be positive, got ${df}`);
  if (x <= 0) return 1;
  return regularizedUpperGamma(df / 2, x / 2);
}

const criticalValues = new Map<string, number>();

/** The x with P(X ≥ x) = alpha for a chi-square X with `df` degrees of freedom (by bisection). */
export function chiSquareCriticalValue(df: number, alpha: number): number {
  const key = `${df} ${alpha}`;
  const known = criticalValues.get(key);
  if (known !== undefined) return known;
  let lo = 0;
  let hi = Math.max(1, df);
  while (chiSquareSurvival(hi, df) > alpha) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i += 1) {
    const mid = (lo + hi) / 2;
    if (chiSquareSurvival(mid, df) > alpha) lo = mid;
    else hi = mid;
  }
  criticalValues.set(key, (lo + hi) / 2);
  return (lo + hi) / 2;
}

/** Q(a, x) = Γ(a, x) / Γ(a), the regularized upper incomplete gamma function, for a > 0, x ≥ 0. */
export function regularizedUpperGamma(a: number, x: number): number {
  if (!(a > 0)) throw new Error(`a must be positive, got ${a}`);
  if (x < 0) throw new Error(`x must not be negative, got ${x}`);
  if (x === 0) return 1;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // P(a, x) = x^a e^-x / Γ(a+1) · Σ_{n≥0} x^n / ((a+1)…(a+n)); Q = 1 - P.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  // Q(a, x) = x^a e^-x / Γ(a) · 1 / (x + 1 - a - 1·(1-a) / (x + 3 - a - 2·(2-a) / (x + 5 - a - …))),
  // evaluated with the modified Lentz method.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 10_000; n += 1) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

// Lanczos approximation, g = 7, nine coefficients (the widely published set).
const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(z) for z > 0. */
export function logGamma(z: number): number {
  if (!(z > 0)) throw new Error(`logGamma needs z > 0, got ${z}`);
  if (z < 0.5) {
    // Reflection: Γ(z) Γ(1-z) = π / sin(πz).
    return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  }
  const w = z - 1;
  let s = lanczos[0] ?? 1;
  for (let i = 1; i < lanczos.length; i += 1) s += (lanczos[i] ?? 0) / (w + i);
  const t = w + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (w + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * P(some backend answers none of `requests`) when each request picks one of `backends` uniformly
 * at random (inclusion–exclusion: Σ_{j=1}^{k-1} (-1)^(j+1) C(k, j) (1 - j/k)^N).
 */
export function zeroCountProbability(requests: number, backends: number): number {
  let sum = 0;
  let binomial = 1;
  for (let j = 1; j < backends; j += 1) {
    binomial = (binomial * (backends - j + 1)) / j;
    sum += (j % 2 === 1 ? 1 : -1) * binomial * (1 - j / backends) ** requests;
  }
  return Math.min(1, Math.max(0, sum));
}

/**
 * The fewest requests per target for which a uniform random spread over `backends` leaves some
 * backend unseen at one of `targets` independent targets (nodes) with probability at most
 * `falseAlarm`.
 */
export function coverageRequests(
  backends: number,
  targets = 1,
  falseAlarm: number = falseAlarmRate,
): number {
  let requests = Math.max(1, backends);
  while (-Math.expm1(targets * Math.log1p(-zeroCountProbability(requests, backends))) > falseAlarm)
    requests += 1;
  return requests;
}

/** A fixed-width table of a spread: backend, observed count, expected count, contribution to χ². */
export function renderSpread(rows: readonly SpreadRow[]): string {
  const width = Math.max(7, ...rows.map((r) => r.key.length));
  const header = `${'backend'.padEnd(width)}  observed  expected  (o-e)²/e`;
  const lines = rows.map((r) => {
    const contribution =
      r.expected > 0 ? ((r.observed - r.expected) ** 2 / r.expected).toFixed(2) : '-';
    return `${r.key.padEnd(width)}  ${String(r.observed).padStart(8)}  ${r.expected.toFixed(1).padStart(8)}  ${contribution.padStart(8)}`;
  });
  return [header, ...lines].join('\n');
}
