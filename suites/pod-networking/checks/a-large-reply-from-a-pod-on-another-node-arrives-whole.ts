// Expected: a reply of 4 MiB from a pod on another node, fetched by pod IP, arrives whole: every
// byte, with the sha256 the server computed. Small replies fit in one packet; a large one needs
// full-size segments across the overlay, so a path MTU the CNI got wrong (an overlay MTU black
// hole: large packets dropped without ICMP) passes every small-reply check and fails this one.
import { defineCheck } from '../../framework/check.ts';
import { expectWholeFile } from '../../framework/large-file.ts';
import type { PodNetworkingFixtures } from '../fixtures.ts';
import { needsTwoNodes } from '../../framework/cluster-facts.ts';

export default defineCheck<PodNetworkingFixtures>({
  id: 'pod-networking/a-large-reply-from-a-pod-on-another-node-arrives-whole',
  title: 'a 4 MiB reply from a pod on another node arrives whole by pod IP (size and sha256)',
  skipUnless: (facts) => needsTwoNodes(facts),
  assess: async (ctx, f, evidence) => {
    const large = f.largeFileOtherNode;
    if (large === undefined) throw new Error('no large-file server on a second node');
    const client = f.client.metadata?.name ?? '';
    await expectWholeFile(
      (argv) => ctx.exec(client, 'netshoot', argv),
      {
        host: large.server.status?.podIP ?? '',
        port: 80,
        route: `${client} (${f.client.spec?.nodeName ?? '?'}) → ${large.server.metadata?.name ?? '?'} (${large.server.status?.podIP ?? '?'} on ${large.server.spec?.nodeName ?? '?'})`,
      },
      large,
      evidence,
    );
  },
});
