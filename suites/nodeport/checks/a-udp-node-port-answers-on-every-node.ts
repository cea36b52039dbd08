// Expected: a NodePort Service port with protocol UDP is served on EVERY node's InternalIP,
// control plane included: kube-proxy programs the node port on each node, and with the Cluster
// policy any node forwards a datagram to a ready endpoint and the reply returns the same way. The
// client pod sends 5 datagrams (each from a new source port) to each node's InternalIP:nodePort;
// every one must be answered "udp <pod>" by an `echo` pod. Rounds repeat until one holds or
// proxyRulesConverge passes (kube-proxy may still be syncing the new Service); a node that drops
// or does not forward UDP fails every round.
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { repeatProbe } from '../../framework/repeat-probe.ts';
import { askEcho, describeAnswers } from '../../framework/udp-echo.ts';
import { nodePortOf, type NodePortFixtures } from '../fixtures.ts';

const perNode = 5;

export default defineCheck<NodePortFixtures>({
  id: 'nodeport/a-udp-node-port-answers-on-every-node',
  title: "a UDP NodePort answers on every node's InternalIP",
  assess: async (ctx, f, evidence) => {
    const port = nodePortOf(f.echo);
    const client = f.client.metadata?.name ?? '';
    const result = await repeatProbe({
      evidence,
      title: `client → every node's InternalIP:${port}/UDP, ${perNode} datagrams each`,
      what: `${perNode} of ${perNode} datagrams answered by ${f.echoPods.join(', ')} on every node's ${port}/UDP`,
      deadline: 'proxyRulesConverge',
      round: async () => {
        const rows = await Promise.all(
          f.nodes.map(async (n) => {
            const { probe, answers } = await askEcho(
              ctx,
              client,
              'udp',
              { ip: n.internalIP, port },
              perNode,
            );
            const good = answers.filter(
              (a) => a.outcome === 'Answered' && a.protocol === 'udp' && f.echoPods.includes(a.pod),
            ).length;
            return { node: n, probe, good, observed: describeAnswers(answers) };
          }),
        );
        const failing = rows.filter((r) => r.good !== perNode);
        const first = rows[0];
        if (first === undefined) throw new Error('the cluster lists no nodes');
        return {
          // The first node's probe in full; every node's answers are in `observed`.
          probe: first.probe,
          done: failing.length === 0,
          state: failing,
          observed: rows
            .map((r) => `${r.node.name} ${r.node.internalIP}: ${r.observed}`)
            .join('; '),
        };
      },
    });
    if (result.timedOut) {
      throw new CheckFailure(
        `NodePort ${port}/UDP: expected ${perNode} of ${perNode} datagrams answered on every node, observed ${result.last?.observed ?? result.timeout.message}`,
        evidence,
      );
    }
  },
});
