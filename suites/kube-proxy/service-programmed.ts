/**
 * The control of the mode-difference probes: before a check probes what a Service does NOT expose
 * (ping, another port), its exposed port must answer from a backend through the ClusterIP. Only
 * then has kube-proxy programmed the Service, and an unanswered probe says something about the
 * mode rather than about a proxy that has not caught up yet (seen in the IPVS lane, where a
 * Service's address reached kube-ipvs0 minutes late under emulation).
 */
import { classifyCurl } from '../../helpers/outcomes.ts';
import { CheckFailure, type Evidence } from '../framework/evidence.ts';
import { repeatProbe } from '../framework/repeat-probe.ts';
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
  const result = await repeatProbe({
    evidence,
    title: route,
    record: 'last',
    what: `${ctx.namespace}/backends answering on ${clusterIP}:80`,
    deadline: 'proxyRulesConverge',
    intervalMs: 2000,
    round: async () => {
      const probe = await ctx.exec(f.client.metadata?.name ?? '', 'netshoot', [
        'curl',
        '-sS',
        '-i',
        '--max-time',
        '5',
        `http://${host}:80/`,
      ]);
      const backend = answeredBy(probe.stdout);
      return {
        probe,
        done: backend !== undefined,
        state: undefined,
        observed: backend === undefined ? classifyCurl(probe) : `answered by ${backend}`,
      };
    },
  });
  if (result.timedOut) {
    throw new CheckFailure(
      `${route}: expected an answer from a backend before probing what the Service does not expose, observed ${result.last === undefined ? 'no probe' : classifyCurl(result.last.probe)} until the "proxyRulesConverge" deadline`,
      evidence,
    );
  }
}
