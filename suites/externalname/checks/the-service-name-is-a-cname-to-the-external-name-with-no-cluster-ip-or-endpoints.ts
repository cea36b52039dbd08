// Expected: an ExternalName Service is only a DNS alias. Its name (external.<ns>.svc.<domain>)
// resolves, for a CNAME query from a pod, to a CNAME record whose target is spec.externalName; the
// Service gets no ClusterIP (spec.clusterIP and spec.clusterIPs empty or absent), so kube-proxy
// programs nothing for it, and it has no EndpointSlices (it has no selector; nothing proxies it).
// The target is the outside container's name, or --external-target <dns name>[:port] when set; a
// CNAME needs no server, so this check runs even where there is no target to reach.
// Table: property → expected × observed.
import { DnsOutcome, parseDig } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { repeatProbe } from '../../framework/repeat-probe.ts';
import { renderTable } from '../../nodeport/request-spread.ts';
import { externalServiceName, type ExternalNameFixtures } from '../fixtures.ts';

export default defineCheck<ExternalNameFixtures>({
  id: 'externalname/the-service-name-is-a-cname-to-the-external-name-with-no-cluster-ip-or-endpoints',
  title:
    'an ExternalName Service name is a CNAME to its externalName, with no ClusterIP and no EndpointSlices',
  assess: async (ctx, f, evidence) => {
    evidence.note(
      'target',
      `${f.target.name} (${f.target.source}); cluster domain ${f.clusterDomain}`,
    );
    const expectedCNAME = `${f.target.name}.`;
    const clientPod = f.client.metadata?.name ?? '';
    const title = `dig ${f.serviceFQDN} CNAME from pod ${clientPod}`;
    const dns = await repeatProbe({
      evidence,
      title,
      observedInTitle: true,
      what: `${title} to be as expected`,
      deadline: 'dnsConverge',
      intervalMs: 1000,
      round: async () => {
        const probe = await ctx.exec(clientPod, 'netshoot', [
          'dig',
          '+noall',
          '+comments',
          '+answer',
          '+time=2',
          '+tries=1',
          f.serviceFQDN,
          'CNAME',
        ]);
        const answer = parseDig(probe, 'CNAME');
        const cnames = answer.records.filter((r) => r.type === 'CNAME').map((r) => r.data);
        if (answer.outcome !== DnsOutcome.Answered) {
          return { probe, done: false, state: undefined, observed: answer.outcome };
        }
        return {
          probe,
          done: cnames.length === 1 && cnames[0]?.toLowerCase() === expectedCNAME,
          state: undefined,
          observed: `CNAME ${cnames.join(', ')}`,
        };
      },
    });
    const last = dns.last;
    if (last === undefined) throw dns.timedOut ? dns.timeout : new Error(`${title}: no round ran`);
    const stored = await ctx.core.readNamespacedService({
      name: externalServiceName,
      namespace: ctx.namespace,
    });
    const slices = await ctx.discovery.listNamespacedEndpointSlice({
      namespace: ctx.namespace,
      labelSelector: `kubernetes.io/service-name=${externalServiceName}`,
    });
    const clusterIP = stored.spec?.clusterIP;
    const clusterIPs = stored.spec?.clusterIPs ?? [];
    const rows = [
      {
        property: `DNS ${f.serviceFQDN} CNAME`,
        expected: `CNAME ${expectedCNAME}`,
        observed: last.observed + (dns.timedOut ? ' (until the "dnsConverge" deadline)' : ''),
        ok: last.done,
      },
      {
        property: 'spec.clusterIP',
        expected: 'empty or absent',
        observed: clusterIP === undefined ? 'absent' : `"${clusterIP}"`,
        ok: clusterIP === undefined || clusterIP === '',
      },
      {
        property: 'spec.clusterIPs',
        expected: 'empty or absent',
        observed: clusterIPs.length === 0 ? 'absent' : clusterIPs.join(','),
        ok: clusterIPs.length === 0,
      },
      {
        property: 'EndpointSlices',
        expected: '0',
        observed:
          slices.items.length === 0
            ? '0'
            : `${slices.items.length} (${slices.items.map((s) => s.metadata?.name ?? '?').join(', ')})`,
        ok: slices.items.length === 0,
      },
    ];
    const table = renderTable(
      ['property', 'expected', 'observed', ''],
      rows.map((r) => [r.property, r.expected, r.observed, r.ok ? 'ok' : 'MISMATCH']),
    );
    evidence.note(`Service ${externalServiceName}: expected and observed`, table);
    evidence.note('Service as stored', JSON.stringify(stored.spec, null, 2));
    const wrong = rows.filter((r) => !r.ok);
    if (wrong.length > 0) {
      throw new CheckFailure(
        `ExternalName Service ${externalServiceName}: ` +
          wrong
            .map((r) => `${r.property}: expected ${r.expected}, observed ${r.observed}`)
            .join('; ') +
          `\n${table}`,
        evidence,
      );
    }
  },
});
