/**
 * The DNS area's one way to assert answers: build the expectations (re-read each attempt, since
 * they follow the cluster's state), run every query in one dig batch from the client pod, judge
 * each answer, and poll until all hold or the dnsConverge deadline passes (CoreDNS learns of
 * Services and endpoints through a watch; kubeadm's Corefile disables caching for the cluster
 * zone). Each distinct observation is recorded as evidence; on timeout the check fails with the
 * expected and observed answer of every query that still does not hold.
 */
import { poll, PollTimeoutError } from '../../helpers/poll.ts';
import { CheckFailure, type Evidence } from '../framework/evidence.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import { runDigBatch } from './dig-batch.ts';
import {
  judge,
  mismatchMessage,
  verdictTable,
  type DnsExpectation,
  type DnsVerdict,
} from './expectations.ts';

/** Where the queries run. */
export interface DnsClient {
  readonly pod: string;
  readonly container: string;
  /** Ask this server instead of the pod's resolv.conf nameserver. */
  readonly server?: string;
}

/**
 * Polls until every expectation built by `expectations()` holds for the answers seen from
 * `client`; throws a CheckFailure naming each query's expected and observed answer otherwise.
 */
export async function expectDnsAnswers(
  ctx: SuiteContext,
  client: DnsClient,
  evidence: Evidence,
  expectations: () => Promise<readonly DnsExpectation[]>,
): Promise<void> {
  let last: readonly DnsVerdict[] = [];
  let lastTable = '';
  let attempt = 0;
  try {
    await poll({
      what: 'DNS answers matching the expectations',
      deadline: 'dnsConverge',
      intervalMs: 2000,
      attempt: async () => {
        attempt += 1;
        const wanted = await expectations();
        const batch = await runDigBatch(
          ctx,
          client.pod,
          client.container,
          wanted.map((e) => e.query),
          client.server,
        );
        last = wanted.map((e, i) => {
          const answer = batch.answers[i];
          if (answer === undefined) throw new Error(`no answer parsed for query ${i}`);
          return judge(e, answer);
        });
        const table = verdictTable(last);
        if (table !== lastTable) {
          evidence.probe(`dig batch, attempt ${attempt}`, batch.probe);
          evidence.note(`expected vs observed, attempt ${attempt}`, table);
          lastTable = table;
        }
        const failing = last.filter((v) => !v.ok);
        return {
          done: failing.length === 0,
          state: last,
          summary: failing.map(mismatchMessage).join('; '),
        };
      },
    });
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    const failing = last.filter((v) => !v.ok);
    if (failing.length === 0) throw error;
    evidence.note(
      'attempts',
      `${error.attempts} attempt(s) over ${(error.elapsedMs / 1000).toFixed(1)} s (deadline dnsConverge)`,
    );
    throw new CheckFailure(
      `${failing.map(mismatchMessage).join('\n')}\n(still so after ${(error.elapsedMs / 1000).toFixed(0)} s, ${error.attempts} attempts, deadline dnsConverge)`,
      evidence,
    );
  }
}
