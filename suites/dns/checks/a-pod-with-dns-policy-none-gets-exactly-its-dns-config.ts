// Expected: a pod with `dnsPolicy: None` gets a resolv.conf made only of its `dnsConfig`: exactly
// the nameservers and search domains it lists, in that order, and exactly its options, and none of
// the cluster's (no `<ns>.svc.<domain>` search entry, no `ndots:5`). The options are compared as a
// set: the kubelet merges them through a map, so their order in the file is not defined. Workloads that bring their own resolver
// rely on this; a kubelet that merged the cluster defaults in would send their short names to the
// cluster DNS. The kubelet alone writes this file, so the self-test has no realistic break for it.
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { netshootContainer, podSpec, startPod } from '../../framework/workloads.ts';
import { parseResolvConf } from '../dns-config.ts';
import type { DnsFixtures } from '../fixtures.ts';

const pod = 'dns-policy-none';
const container = 'netshoot';

export default defineCheck<DnsFixtures>({
  id: 'dns/a-pod-with-dns-policy-none-gets-exactly-its-dns-config',
  title:
    'a pod with dnsPolicy None gets a resolv.conf of exactly its dnsConfig nameservers, searches and options',
  assess: async (ctx, f, evidence) => {
    const dnsConfig = {
      nameservers: [f.kubeDnsIP],
      searches: [`custom.${ctx.namespace}.example`, 'resolver.example'],
      options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
    };
    await startPod(
      ctx,
      podSpec(ctx, {
        name: pod,
        containers: [netshootContainer(ctx, container)],
        extra: { dnsPolicy: 'None', dnsConfig },
      }),
    );
    const result = evidence.probe(
      `resolv.conf of pod ${pod}`,
      await ctx.exec(pod, container, ['cat', '/etc/resolv.conf']),
    );
    if (result.exitCode !== 0) {
      throw new CheckFailure(
        `expected to read /etc/resolv.conf of pod ${pod}, observed exit code ${String(result.exitCode)}`,
        evidence,
      );
    }
    const conf = parseResolvConf(result.stdout);
    const rows = [
      { what: 'nameservers', expected: dnsConfig.nameservers, observed: conf.nameservers },
      { what: 'search', expected: dnsConfig.searches, observed: conf.search },
      {
        what: 'options',
        expected: dnsConfig.options
          .map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`))
          .sort(),
        observed: [...conf.options].sort(),
      },
    ].map((r) => ({ ...r, expected: r.expected.join(' '), observed: r.observed.join(' ') }));
    evidence.note(
      'expected vs observed',
      rows
        .map(
          (r) =>
            `${r.expected === r.observed ? 'ok  ' : 'FAIL'} ${r.what}\n     expected: ${r.expected}\n     observed: ${r.observed === '' ? '(none)' : r.observed}`,
        )
        .join('\n'),
    );
    const wrong = rows.filter((r) => r.expected !== r.observed);
    if (wrong.length > 0) {
      throw new CheckFailure(
        wrong
          .map(
            (r) =>
              `resolv.conf of ${pod} (dnsPolicy None): expected ${r.what} "${r.expected}" (its dnsConfig), observed "${r.observed === '' ? '(none)' : r.observed}"`,
          )
          .join('\n'),
        evidence,
      );
    }
  },
});
