// Expected: a pod that requests http://external.<ns>.svc.<domain>/ reaches the ExternalName's target:
// the resolver follows the CNAME to spec.externalName and connects to the address it resolves to,
// outside the cluster network. With the built-in target the answer must come from the outside
// server (its body names the container's host name); with --external-target <dns name>[:port] any
// HTTP response from that name counts (its content is not ours). The request carries
// "Host: <externalName>", since the target serves that name, not the Service's.
import { classifyCurl, ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { repeatProbe } from '../../framework/repeat-probe.ts';
import type { ExternalNameFixtures } from '../fixtures.ts';

export default defineCheck<ExternalNameFixtures>({
  id: 'externalname/the-target-answers-through-the-service-name',
  title: "a pod reaches an ExternalName Service's target through the Service name",
  assess: async (ctx, f, evidence) => {
    const clientPod = f.client.metadata?.name ?? '';
    const portPart = f.target.port === 80 ? '' : `:${f.target.port}`;
    const url = `http://${f.serviceFQDN}${portPart}/`;
    const expected =
      f.target.answersAs === undefined
        ? `Reached (any HTTP response from ${f.target.name})`
        : `Reached, answered by ${f.target.answersAs} (the outside server)`;
    evidence.note('target', `${f.target.name}:${f.target.port} (${f.target.source})`);
    const route = `pod ${clientPod} → ${url} (ExternalName → ${f.target.name})`;
    const result = await repeatProbe({
      evidence,
      title: route,
      observedInTitle: true,
      what: `${route} to be as expected`,
      deadline: 'dnsConverge',
      intervalMs: 1000,
      round: async () => {
        const probe = await ctx.exec(clientPod, 'netshoot', [
          'curl',
          '-sS',
          '--connect-timeout',
          '2',
          '--max-time',
          '5',
          '-H',
          `Host: ${f.target.name}${portPart}`,
          url,
        ]);
        const outcome = classifyCurl(probe);
        if (outcome !== ConnectOutcome.Reached) {
          const why = probe.stderr.trim().split('\n')[0] ?? '';
          const observed = why === '' ? outcome : `${outcome} (${why})`;
          return { probe, done: false, state: undefined, observed };
        }
        const answeredBy = /^This is (\S+)/m.exec(probe.stdout)?.[1];
        if (f.target.answersAs === undefined) {
          return { probe, done: true, state: undefined, observed: 'Reached' };
        }
        return {
          probe,
          done: answeredBy === f.target.answersAs,
          state: undefined,
          observed: `Reached, answered by ${answeredBy ?? 'an unknown server'}`,
        };
      },
    });
    if (result.timedOut) {
      if (result.last === undefined) throw result.timeout;
      // Where the resolution chain stops: the Service name's answer, CNAME chain included.
      evidence.probe(
        `dig ${f.serviceFQDN} A from pod ${clientPod} (diagnosis)`,
        await ctx.exec(clientPod, 'netshoot', [
          'dig',
          '+noall',
          '+comments',
          '+answer',
          '+time=2',
          '+tries=1',
          f.serviceFQDN,
          'A',
        ]),
      );
      throw new CheckFailure(
        `${route}: expected ${expected}, observed ${result.last.observed} after ${result.rounds} round(s) until the "dnsConverge" deadline`,
        evidence,
      );
    }
  },
});
