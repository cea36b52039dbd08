// Expected: with externalTrafficPolicy Local, a NodePort Service answers from outside only on the
// nodes that run one of its endpoints; the other nodes do not forward (kube-proxy drops the packets,
// so the client times out, or rejects them: both are "not answered", and the table records which).
// The same backend behind a Service with externalTrafficPolicy Cluster answers on every node. The
// backend (one replica) is pinned to one worker, so every other node is a node without an endpoint.
// Table: node × policy → expected × observed.
import { ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { httpURL, nodePortOf, type NodePortFixtures } from '../fixtures.ts';
import {
  describeOutcomes,
  failureOutcome,
  reached,
  renderTable,
  spreadUntil,
  type TargetTally,
} from '../request-spread.ts';
import { needsOutsideHost, needsTwoNodes } from '../../framework/cluster-facts.ts';
import { outsideOf } from '../../framework/outside.ts';

/** Requests per node and policy. */
const requests = 3;

/** Outcomes that count as "the node did not answer". */
const notAnswered: readonly ConnectOutcome[] = [
  ConnectOutcome.TimedOut,
  ConnectOutcome.Refused,
  ConnectOutcome.Unreachable,
];

type Policy = 'Local' | 'Cluster';

export default defineCheck<NodePortFixtures>({
  id: 'nodeport/local-traffic-policy-answers-only-on-nodes-with-an-endpoint',
  title:
    'externalTrafficPolicy Local answers only on nodes with a local endpoint; Cluster answers on every node',
  skipUnless: (facts) =>
    needsOutsideHost(facts) ?? needsTwoNodes(facts, 'a node without the endpoint needs 2'),
  assess: async (_ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    const ports: Record<Policy, number> = {
      Local: nodePortOf(f.pinnedLocal),
      Cluster: nodePortOf(f.pinnedCluster),
    };
    const cells = f.nodes.flatMap((node) =>
      (['Local', 'Cluster'] as const).map((policy) => ({
        node,
        policy,
        answers: policy === 'Cluster' || node.name === f.pinnedNode,
        target: { label: `${node.name}/${policy}`, url: httpURL(node.internalIP, ports[policy]) },
      })),
    );
    evidence.note(
      'set-up',
      `one endpoint (${f.pinnedPod}) on ${f.pinnedNode}; pinned-local nodePort ${ports.Local} (Local), pinned-cluster nodePort ${ports.Cluster} (Cluster)`,
    );
    const observe = (t: TargetTally | undefined): string =>
      t === undefined ? 'not probed' : describeOutcomes(t);
    await spreadUntil({
      what: `outside ${outside.ip} → pinned-local and pinned-cluster on every node`,
      exec: (argv) => outside.exec(argv),
      targets: cells.map((c) => c.target),
      options: { requests, abandonAfter: requests },
      evidence,
      judge: (tallies) => {
        const mismatches: string[] = [];
        const rows = cells.map((cell, i) => {
          const t = tallies[i];
          const got = t === undefined ? 0 : reached(t);
          const failure = t === undefined ? undefined : failureOutcome(t);
          const ok = cell.answers
            ? got === requests
            : got === 0 && failure !== undefined && notAnswered.includes(failure);
          const expected = cell.answers
            ? `Reached ${requests}/${requests}`
            : 'not answered (TimedOut or Refused)';
          if (!ok) {
            mismatches.push(
              `${cell.node.name} with externalTrafficPolicy ${cell.policy} ` +
                `(${cell.node.name === f.pinnedNode ? 'local endpoint' : 'no local endpoint'}): ` +
                `expected ${expected}, observed ${observe(t)}`,
            );
          }
          return [
            cell.node.name,
            cell.node.name === f.pinnedNode ? 'yes' : 'no',
            cell.policy,
            expected,
            observe(t),
            ok ? 'ok' : 'MISMATCH',
          ];
        });
        return {
          table: renderTable(['node', 'endpoint here', 'policy', 'expected', 'observed', ''], rows),
          mismatches,
        };
      },
    });
  },
});
