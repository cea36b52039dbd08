// Expected: a reply of 4 MiB from the Service's only backend, on another node than the client,
// arrives whole through the ClusterIP: every byte, with the sha256 the backend computed. Requests
// and small replies fit in one packet; a large reply needs full-size segments across the overlay,
// so an overlay MTU black hole (large packets dropped without ICMP) passes every small-reply
// check of this area and fails this one.
import { defineCheck } from '../../framework/check.ts';
import { expectWholeFile } from '../../framework/large-file.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { needsTwoNodes } from '../../framework/cluster-facts.ts';

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/a-large-reply-through-a-cluster-ip-arrives-whole',
  title: 'a 4 MiB reply from a backend on another node arrives whole through the ClusterIP',
  skipUnless: (facts) => needsTwoNodes(facts),
  assess: async (ctx, f, evidence) => {
    if (f.large === undefined) throw new Error('no large-file server on a second node');
    const { file, service } = f.large;
    const client = f.client.metadata?.name ?? '';
    await expectWholeFile(
      (argv) => ctx.exec(client, 'netshoot', argv),
      {
        host: service.ip,
        port: 80,
        ready: 'proxyRulesConverge',
        route: `${client} (${f.client.spec?.nodeName ?? '?'}) → ${service.name} ${service.ip}:80 (backend on ${file.server.spec?.nodeName ?? '?'})`,
      },
      file,
      evidence,
    );
  },
});
