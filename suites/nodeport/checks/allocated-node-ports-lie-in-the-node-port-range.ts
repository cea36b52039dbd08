// Expected: every nodePort the cluster allocated to the area's NodePort Services (none requested one)
// lies in the cluster's node-port range: the kube-apiserver's --service-node-port-range, or the
// default 30000-32767 when that flag is unset. The API server allocates node ports only from that
// range, and firewalls and load balancers in front of the nodes are opened for exactly that range.
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { nodePortOf, type NodePortFixtures } from '../fixtures.ts';
import { readNodePortRange } from '../node-port-range.ts';
import { renderTable } from '../request-spread.ts';

export default defineCheck<NodePortFixtures>({
  id: 'nodeport/allocated-node-ports-lie-in-the-node-port-range',
  title: "node ports the cluster allocates lie in the cluster's node-port range",
  assess: async (ctx, f, evidence) => {
    const range = await readNodePortRange(ctx);
    evidence.note('node-port range', `${range.low}-${range.high}: ${range.source}`);
    const expected = `${range.low}-${range.high}`;
    const rows = [f.web, f.pinnedLocal, f.pinnedCluster].map((service) => {
      const port = nodePortOf(service);
      const inRange = port >= range.low && port <= range.high;
      return { name: service.metadata?.name ?? '?', port, inRange };
    });
    const table = renderTable(
      ['service', 'nodePort', 'expected', 'observed'],
      rows.map((r) => [
        r.name,
        String(r.port),
        `in ${expected}`,
        r.inRange ? 'in range' : 'OUTSIDE',
      ]),
    );
    evidence.note('allocated node ports', table);
    const outside = rows.filter((r) => !r.inRange);
    if (outside.length > 0) {
      throw new CheckFailure(
        `expected every allocated nodePort in ${expected} (${range.source}); ` +
          `observed ${outside.map((r) => `${r.name}:${r.port}`).join(', ')} outside it:\n${table}`,
        evidence,
      );
    }
  },
});
