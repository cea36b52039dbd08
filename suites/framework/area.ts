/**
 * Registers an area's checks as jest tests: one namespace and one fixture set per area (created in
 * beforeAll, removed in afterAll through the cleanup stack), one test per check, skipped checks
 * named with their reason. Reports: the checks are declared in the catalog (reports/catalog.ts)
 * and labelled for Allure; a failing check's evidence is attached (reports/allure-bridge.ts).
 */
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { messageWithCauses } from '../../helpers/errors.ts';
import { timeout } from '../../helpers/timeouts.ts';
import { attachEvidence, labelCheck } from '../../reports/allure-bridge.ts';
import { declareChecks, notSelectedReason, testNameOf } from '../../reports/catalog.ts';
import { recordObservation } from '../../reports/observations.ts';
import type { Check } from './check.ts';
import { readClusterFacts } from './cluster-facts.ts';
import { suiteEnvironment } from './environment.ts';
import { CheckFailure, Evidence } from './evidence.ts';
import { openSuite, type SuiteContext } from './suite-context.ts';

/** Reads the cluster facts and registers `checks` under a describe block named `area`. */
export async function registerArea<F>(
  area: string,
  setUp: (ctx: SuiteContext) => Promise<F>,
  checks: readonly Check<F>[],
): Promise<void> {
  const facts = await readClusterFacts();
  // `netconform run --suites/--skip` with check ids records the chosen ids in the run description.
  const chosen = suiteEnvironment().description.settings.checks;
  const reasons = new Map(
    checks.map((c) => [
      c,
      chosen === undefined || chosen.includes(c.id) ? c.skipUnless?.(facts) : notSelectedReason,
    ]),
  );
  declareChecks(
    area,
    checks.map((c) => {
      const skipReason = reasons.get(c);
      return {
        id: c.id,
        area,
        title: c.title,
        testName: testNameOf(c.title, skipReason),
        ...(skipReason === undefined ? {} : { skipReason }),
      };
    }),
  );
  describe(area, () => {
    let ctx: SuiteContext | undefined;
    let fixtures: F | undefined;
    beforeAll(async () => {
      try {
        ctx = await openSuite(area);
        fixtures = await setUp(ctx);
      } catch (error) {
        // The prefix names the failure kind in the reports (category "set-up").
        throw new Error(`set-up of ${area} failed: ${messageWithCauses(error)}`, { cause: error });
      }
    }, timeout('suiteSetup'));
    afterAll(async () => {
      await ctx?.cleanup.runAll();
    }, timeout('suiteSetup'));
    for (const check of checks) {
      const reason = reasons.get(check);
      if (reason !== undefined) {
        test.skip(testNameOf(check.title, reason), () => undefined);
        continue;
      }
      test(
        check.title,
        async () => {
          if (ctx === undefined || fixtures === undefined)
            throw new Error(`the fixtures of ${area} were not set up`);
          await labelCheck({ area, checkId: check.id, proxyMode: facts.configuredProxyMode });
          const evidence = new Evidence();
          try {
            await check.assess(ctx, fixtures, evidence);
          } catch (error) {
            const failure =
              error instanceof CheckFailure
                ? error
                : new CheckFailure(`${check.id}: ${messageWithCauses(error)}`, evidence);
            await attachEvidence(failure.evidence.items);
            throw failure;
          } finally {
            if (evidence.observed !== undefined) recordObservation(check.id, evidence.observed);
          }
        },
        timeout('checkRun'),
      );
    }
  });
}
