/**
 * Registers an area's checks as jest tests: one namespace and one fixture set per area (created in
 * beforeAll, removed in afterAll through the cleanup stack), one test per check, skipped checks
 * named with their reason.
 */
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { messageOf } from '../../helpers/errors.ts';
import { timeout } from '../../helpers/timeouts.ts';
import type { Check } from './check.ts';
import { readClusterFacts } from './cluster-facts.ts';
import { CheckFailure, Evidence } from './evidence.ts';
import { openSuite, type SuiteContext } from './suite-context.ts';

/** Reads the cluster facts and registers `checks` under a describe block named `area`. */
export async function registerArea<F>(
  area: string,
  setUp: (ctx: SuiteContext) => Promise<F>,
  checks: readonly Check<F>[],
): Promise<void> {
  const facts = await readClusterFacts();
  describe(area, () => {
    let ctx: SuiteContext | undefined;
    let fixtures: F | undefined;
    beforeAll(async () => {
      ctx = await openSuite(area);
      fixtures = await setUp(ctx);
    }, timeout('suiteSetup'));
    afterAll(async () => {
      await ctx?.cleanup.runAll();
    }, timeout('suiteSetup'));
    for (const check of checks) {
      const reason = check.skipUnless?.(facts);
      if (reason !== undefined) {
        test.skip(`${check.title} (skipped: ${reason})`, () => undefined);
        continue;
      }
      test(
        check.title,
        async () => {
          if (ctx === undefined || fixtures === undefined)
            throw new Error(`the fixtures of ${area} were not set up`);
          const evidence = new Evidence();
          try {
            await check.assess(ctx, fixtures, evidence);
          } catch (error) {
            if (error instanceof CheckFailure) throw error;
            throw new CheckFailure(`${check.id}: ${messageOf(error)}`, evidence);
          }
        },
        timeout('checkRun'),
      );
    }
  });
}
