/**
 * The control of the mode-difference probes: before a check probes what a Service does NOT expose
 * (ping, another port), its exposed port must answer from a backend through the ClusterIP. Only
 * then has kube-proxy programmed the Service, and an unanswered probe says something about the
 * mode rather than about a proxy that has not caught up yet (seen in the IPVS lane, where a
 * Service's address reached kube-ipvs0 minutes late under emulation).
 */
import { classifyCurl, ConnectOutcome } from '../../helpers/outcomes.ts';
import { poll, PollTimeoutError } from '../../helpers/poll.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { CheckFailure, type Evidence } from '../framework/evidence.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import type { KubeProxyFixtures } from './fixtures.ts';
import { answeredBy } from './traffic.ts';

/**
 * Waits (deadline proxyRulesConverge) until the client reaches a backend on the Service's
 * ClusterIP port 80; records the last control probe; throws a CheckFailure when it never does.
 */
export async function expectServiceProgrammed(
  ctx: SuiteContext,
  f: KubeProxyFixtures,
  evidence: Evidence,
): Promise<void> {
  const clusterIP = f.backends.service.spec?.clusterIP ?? '';
  const host = clusterIP.includes(':') ? `[${clusterIP}]` : clusterIP;
  const route = `control: client → ${clusterIP}:80 (the port the Service exposes)`;
  let last: ProbeResult | undefined;
  try {
    await poll({
      what: `${ctx.namespace}/backends answering on ${clusterIP}:80`,
      deadline: 'proxyRulesConverge',
      intervalMs: 2000,
      attempt: async () => {
        last = await ctx.exec(f.client.metadata?.name ?? '', 'netshoot', [
          'curl',
          '-sS',
          '-i',
          '--max-time',
          '5',
          `http://${host}:80/`,
        ]);
        const backend = answeredBy(last.stdout);
        return {
          done: backend !== undefined,
          state: undefined,
          summary: backend === undefined ? classifyCurl(last) : `answered by ${backend}`,
        };
      },
    });
  } catch (error) {
    if (last !== undefined) evidence.probe(route, last);
    if (error instanceof PollTimeoutError) {
      throw new CheckFailure(
        `${route}: expected an answer from a backend before probing what the Service does not expose, observed ${last === undefined ? 'no probe' : classifyCurl(last)} until the "proxyRulesConverge" deadline`,
        evidence,
      );
    }
    throw error;
  }
  if (last !== undefined && classifyCurl(last) === ConnectOutcome.Reached)
    evidence.probe(route, last);
}
