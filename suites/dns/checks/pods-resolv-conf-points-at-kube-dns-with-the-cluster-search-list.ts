// Expected: a pod with the default DNS policy (ClusterFirst) gets from the kubelet a resolv.conf
// whose (first) nameserver is the kube-dns Service IP, whose search list starts with
// `<ns>.svc.<domain> svc.<domain> <domain>` in that order, and which sets `options ndots:5`.
// These make short names (`web`, `web.other-ns`) resolve through the cluster DNS; a wrong order or
// ndots changes which name a short query reaches.
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { ndots, parseResolvConf } from '../dns-config.ts';
import { names, type DnsFixtures } from '../fixtures.ts';

export default defineCheck<DnsFixtures>({
  id: 'dns/pods-resolv-conf-points-at-kube-dns-with-the-cluster-search-list',
  title:
    "a pod's resolv.conf names the kube-dns IP, searches <ns>.svc.<d> svc.<d> <d> and sets ndots:5",
  assess: async (ctx, f, evidence) => {
    const result = evidence.probe(
      `resolv.conf of pod ${names.client}`,
      await ctx.exec(names.client, names.clientContainer, ['cat', '/etc/resolv.conf']),
    );
    if (result.exitCode !== 0) {
      throw new CheckFailure(
        `expected to read /etc/resolv.conf of pod ${names.client}, observed exit code ${String(result.exitCode)}`,
        evidence,
      );
    }
    const conf = parseResolvConf(result.stdout);
    const d = f.clusterDomain;
    const rows = [
      {
        what: 'nameserver (first)',
        expected: f.kubeDnsIP,
        observed: conf.nameservers[0] ?? '',
        because: 'ClusterIP of kube-system/kube-dns',
      },
      {
        what: 'search (first 3)',
        expected: `${ctx.namespace}.svc.${d} svc.${d} ${d}`,
        observed: conf.search.slice(0, 3).join(' '),
        because: `cluster domain ${d} from ${f.domainSource}`,
      },
      {
        what: 'options ndots',
        expected: 'ndots:5',
        observed: `ndots:${String(ndots(conf) ?? '(absent)')}`,
        because: 'the kubelet sets ndots:5 for ClusterFirst pods',
      },
    ];
    const table = rows
      .map(
        (r) =>
          `${r.expected === r.observed ? 'ok  ' : 'FAIL'} ${r.what}\n     expected: ${r.expected} (${r.because})\n     observed: ${r.observed === '' ? '(none)' : r.observed}`,
      )
      .join('\n');
    evidence.note('expected vs observed', table);
    const wrong = rows.filter((r) => r.expected !== r.observed);
    if (wrong.length > 0) {
      throw new CheckFailure(
        wrong
          .map(
            (r) =>
              `resolv.conf of ${names.client}: expected ${r.what} "${r.expected}" (${r.because}), observed "${r.observed === '' ? '(none)' : r.observed}"`,
          )
          .join('\n'),
        evidence,
      );
    }
  },
});
