/**
 * Failure kinds, as Allure categories (categories.json) and for summary.json. A kind is decided by
 * the first line of the failure message only (the verdict: the lines after it are the evidence,
 * whose probe outputs may mention anything), in this order: the first kind whose signal appears
 * wins. Each Allure regex excludes the signals of the kinds before it, so that Allure (which
 * files a result under every category that matches) files it under one kind, the same one
 * {@link failureKind} returns. The regexes use only syntax that Java and JavaScript read alike.
 */

/** One kind of failure. */
export interface FailureKind {
  readonly name: string;
  readonly description: string;
  /** A regex source that, found in the first line of the message, means this kind. */
  readonly signal: string;
}

/** The kinds, in order of precedence. */
export const failureKinds: readonly FailureKind[] = [
  {
    name: 'set-up',
    description: "The area's namespace or fixtures could not be set up (beforeAll): no check ran.",
    signal: 'set-up of \\S+ failed|for a hook',
  },
  {
    name: 'timeout',
    description: 'A wait passed its named deadline (poll) or a check ran out of time.',
    signal: 'timed out after|Exceeded timeout of',
  },
  {
    name: 'imbalance',
    description: 'Traffic reached the backends, but not in the expected proportions.',
    signal:
      '(?:uniform|random|even|uneven) spread|χ²|chi²|chi-square|histogram|imbalance|round-robin|got \\d+ of \\d+',
  },
  {
    name: 'unreachable',
    description: 'A probe could not reach its target: refused, timed out, unreachable, or no name.',
    signal: '\\b(?:Refused|TimedOut|Unreachable|NameNotResolved)\\b',
  },
  {
    name: 'wrong answer',
    description: 'The target answered, but not with what was expected.',
    signal: 'expected|WrongAnswer|NXDOMAIN|observed|do not report',
  },
];

/** The full-match regex of kind `index`: its signal in the first line, no earlier kind's signal. */
export function kindRegex(index: number): string {
  const kind = failureKinds[index];
  if (kind === undefined) throw new Error(`no failure kind ${index}`);
  const earlier = failureKinds.slice(0, index).map((k) => k.signal);
  const exclude = earlier.length === 0 ? '' : `(?![^\\n]*(?:${earlier.join('|')}))`;
  return `${exclude}[^\\n]*(?:${kind.signal})[\\s\\S]*`;
}

/** Allure's categories.json content. */
export function allureCategories(): object[] {
  return failureKinds.map((k, i) => ({
    name: k.name,
    description: k.description,
    messageRegex: kindRegex(i),
    matchedStatuses: ['failed', 'broken'],
  }));
}

/** The kind of a failure message as Allure files it (Java's `matches`: the whole message), or undefined. */
export function failureKind(message: string): string | undefined {
  for (const [i, kind] of failureKinds.entries()) {
    if (new RegExp(`^(?:${kindRegex(i)})$`).test(message)) return kind.name;
  }
  return undefined;
}
