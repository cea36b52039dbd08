// Expected: a LoadBalancer Service gets an external IP in status.loadBalancer.ingress within the
// "loadBalancerAddress" deadline of its creation, and two Services get two different addresses
// (none was asked to share one). Assigning the address is the implementation's controller's job
// (MetalLB's controller here); without a working controller the Services stay <pending> and every
// LoadBalancer check fails with "got no external address within N s".
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import type { LoadBalancerFixtures } from '../fixtures.ts';
import { renderTable } from '../../nodeport/request-spread.ts';

export default defineCheck<LoadBalancerFixtures>({
  id: 'loadbalancer/an-external-ip-is-assigned-within-the-deadline',
  title: 'a LoadBalancer Service gets its own external IP within the deadline',
  assess: async (ctx, f, evidence) => {
    const [web, local] = await Promise.all([f.address('web'), f.address('pinned-local')]);
    const table = renderTable(
      ['Service', 'external IP', 'assigned after'],
      [
        ['web', web.ip, `${(web.afterMs / 1000).toFixed(1)} s`],
        ['pinned-local', local.ip, `${(local.afterMs / 1000).toFixed(1)} s`],
      ],
    );
    evidence.note('external addresses', table);
    if (!/^\d+\.\d+\.\d+\.\d+$|:/.test(web.ip)) {
      throw new CheckFailure(`Service web: expected an IP address, got "${web.ip}"`, evidence);
    }
    if (web.ip === local.ip) {
      throw new CheckFailure(
        `Services web and pinned-local expected different external IPs, both got ${web.ip}`,
        evidence,
      );
    }
    ctx.log(table);
  },
});
