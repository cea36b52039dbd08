/**
 * Registers an area's checks as jest tests: one namespace and one fixture set per area (created in
 * beforeAll, removed in afterAll through the cleanup stack), one test per check, skipped checks
 * named with their reason. Reports: the checks are declared in the catalog (reports/catalog.ts)
 * and labelled for Allure; a failing check's evidence is attached (reports/allure-bridge.ts).
 * When a check of the area did not pass, the state around it is dumped once for the area after
 * its checks, before its namespace goes (state-dump.ts); an area whose checks pass dumps nothing.
 */
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { messageWithCauses } from '../../helpers/errors.ts';
import { timeout } from '../../helpers/timeouts.ts';
import { attachEvidence, labelCheck } from '../../reports/allure-bridge.ts';
import { declareChecks, notSelectedReason, testNameOf } from '../../reports/catalog.ts';
import { recordObservation } from '../../reports/observations.ts';
import type { Check } from './check.ts';
import { readClusterFacts } from './cluster-facts.ts';
import { suiteEnvironment } from './environment.ts';
import { CheckFailure, Evidence } from './evidence.ts';
import { dumpAreaState } from './state-dump.ts';
import { areaNamespace, openSuite, type SuiteContext } from './suite-context.ts';

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
    let setUpFailure: string | undefined;
    // A check that did not get to the end of its test (failed, timed out, or never ran because
    // the set-up failed) is missing here.
    const passed = new Set<string>();
    beforeAll(async () => {
      try {
        ctx = await openSuite(area);
        fixtures = await setUp(ctx);
      } catch (error) {
        // The prefix names the failure kind in the reports (category "set-up").
        const message = messageWithCauses(error);
        setUpFailure = message.split('\n')[0];
        throw new Error(`set-up of ${area} failed: ${message}`, { cause: error });
      }
    }, timeout('suiteSetup'));
    afterAll(
      async () => {
        try {
          const failedChecks = checks
            .filter((c) => reasons.get(c) === undefined && !passed.has(c.id))
            .map((c) => c.id);
          if (failedChecks.length > 0) {
            const env = suiteEnvironment();
            await dumpAreaState({
              area,
              namespace: ctx?.namespace ?? areaNamespace(env.run, area),
              runId: env.run.id,
              failedChecks,
              ...(setUpFailure === undefined ? {} : { setUpFailure }),
              api: ctx?.core ?? env.kubeConfig.makeApiClient(CoreV1Api),
            });
          }
        } finally {
          await ctx?.cleanup.runAll();
        }
      },
      timeout('suiteSetup') + timeout('stateDump'),
    );
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
          const started = performance.now();
          try {
            await check.assess(ctx, fixtures, evidence);
            // not when jest's own timeout failed the check before the assessment ended
            if (performance.now() - started < timeout('checkRun')) passed.add(check.id);
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
