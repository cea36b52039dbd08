// Expected: a pod that requests http://external.<ns>.svc.<domain>/ reaches the ExternalName's target.
// Two steps, each with its own verdict:
// - The Service name resolves to the target's address: CoreDNS answers the CNAME to
//   spec.externalName and, since the target is outside the cluster zone, resolves the target
//   through its upstream resolver (`forward`) and adds its A records. No A record (CNAME only,
//   SERVFAIL, NXDOMAIN, no answer in time) means CoreDNS could not resolve the target upstream; the
//   failure says so, with the dig of the Service name and of the target name itself as evidence.
// - An HTTP request to the Service name is answered: with the built-in target by the outside
//   server (its body names the container's host name); with --external-target <dns name>[:port]
//   any HTTP response counts (its content is not ours). The request carries
//   "Host: <externalName>", since the target serves that name, not the Service's.
// Skipped when there is neither an --external-target nor a host outside the cluster to start.
import { classifyCurl, ConnectOutcome, DnsOutcome, parseDig } from '../../../helpers/outcomes.ts';
import { corednsFacts } from '../../dns/coredns-facts.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { repeatProbe } from '../../framework/repeat-probe.ts';
import { noTargetReason, type ExternalNameFixtures } from '../fixtures.ts';

/** `dig +noall +comments +answer <name> A` with one 2 s try, as the checks run it. */
const digA = (name: string): string[] => [
  'dig',
  '+noall',
  '+comments',
  '+answer',
  '+time=2',
  '+tries=1',
  name,
  'A',
];

export default defineCheck<ExternalNameFixtures>({
  id: 'externalname/the-target-answers-through-the-service-name',
  title: "a pod reaches an ExternalName Service's target through the Service name",
  skipUnless: (facts) => noTargetReason(facts.externalTarget, facts.outsideHostUnavailable),
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
        const lookup = await ctx.exec(clientPod, 'netshoot', digA(f.serviceFQDN));
        const dns = parseDig(lookup, 'A');
        const addresses = dns.records.filter((r) => r.type === 'A').map((r) => r.data);
        if (addresses.length === 0) {
          const cname = dns.records.some((r) => r.type === 'CNAME') ? 'CNAME only, ' : '';
          const outcome = dns.outcome === DnsOutcome.NoAnswer ? 'no A record' : dns.outcome;
          return { probe: lookup, done: false, state: 'dns', observed: `${cname}${outcome}` };
        }
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
        const resolved = `${f.target.name} = ${addresses.join(', ')}`;
        const outcome = classifyCurl(probe);
        if (outcome !== ConnectOutcome.Reached) {
          const why = probe.stderr.trim().split('\n')[0] ?? '';
          const observed = `${why === '' ? outcome : `${outcome} (${why})`}, ${resolved}`;
          return { probe, done: false, state: 'http', observed };
        }
        const answeredBy = /^This is (\S+)/m.exec(probe.stdout)?.[1];
        return {
          probe,
          done: f.target.answersAs === undefined || answeredBy === f.target.answersAs,
          state: 'http',
          observed: `Reached, answered by ${answeredBy ?? 'an unknown server'}, ${resolved}`,
        };
      },
    });
    if (!result.timedOut) return;
    const last = result.last;
    if (last === undefined) throw result.timeout;
    const until = `after ${result.rounds} round(s) until the "dnsConverge" deadline`;
    if (last.state === 'http') {
      throw new CheckFailure(
        `${route}: expected ${expected}, observed ${last.observed} ${until}`,
        evidence,
      );
    }
    // The target name asked directly: what CoreDNS's upstream said, without the CNAME step.
    const direct = await ctx.exec(clientPod, 'netshoot', digA(`${f.target.name}.`));
    evidence.probe(`dig ${f.target.name}. A from pod ${clientPod} (diagnosis)`, direct);
    const coredns = await corednsFacts();
    if (coredns.found) evidence.note('Corefile (kube-system/coredns)', coredns.corefile);
    const directAnswer = parseDig(direct, 'A');
    throw new CheckFailure(
      `${route}: the target name ${f.target.name} did not resolve through CoreDNS's upstream resolver: ` +
        `dig ${f.serviceFQDN} A observed ${last.observed} ${until}, dig ${f.target.name}. A observed ${directAnswer.outcome}; ` +
        `expected its A record (the name is outside the cluster zone: CoreDNS forwards it), then ${expected}`,
      evidence,
    );
  },
});
