// Expected: deleting a LoadBalancer Service releases its external address. A Service `released`
// (in front of the web pods) gets an address A and answers on it from outside; after its deletion
// (1) A stops answering outside clients within the "loadBalancerRelease" deadline (nothing
// announces or forwards it any more), and (2) A can be given to a new Service that asks for it
// (spec.loadBalancerIP) within the "loadBalancerAddress" deadline: the implementation's allocator
// no longer holds it (MetalLB refuses an address already in use by a Service that does not share it).
import { poll, PollTimeoutError } from '../../../helpers/poll.ts';
import { timeout } from '../../../helpers/timeouts.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { createService } from '../../framework/workloads.ts';
import { httpURL } from '../../nodeport/fixtures.ts';
import {
  describeOutcomes,
  parseSpread,
  reached,
  spreadCommand,
} from '../../nodeport/request-spread.ts';
import { loadBalancerService, waitForAddress, type LoadBalancerFixtures } from '../fixtures.ts';
import { needsOutsideHost } from '../../framework/cluster-facts.ts';
import { outsideOf } from '../../framework/outside.ts';

/** Requests per probe of the address. */
const requests = 3;

export default defineCheck<LoadBalancerFixtures>({
  id: 'loadbalancer/deleting-the-service-releases-its-address',
  title: 'deleting a LoadBalancer Service releases its external IP',
  skipUnless: needsOutsideHost,
  assess: async (ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    const deleteService = async (name: string): Promise<void> => {
      try {
        await ctx.core.deleteNamespacedService({ name, namespace: ctx.namespace });
      } catch (error) {
        if ((error as { code?: number }).code !== 404) throw error;
      }
    };
    // 1. a Service with an address that answers
    await createService(ctx, loadBalancerService('released', 'web', 'Cluster'));
    ctx.cleanup.defer('Service released', () => deleteService('released'));
    const { ip } = await waitForAddress(ctx, 'released', performance.now());
    const target = [{ label: 'released', url: httpURL(ip, 80) }];
    const probe = async (title: string): Promise<ReturnType<typeof parseSpread>[number]> => {
      const r = await outside.exec(spreadCommand(target, { requests, abandonAfter: requests }));
      evidence.probe(title, r);
      const tally = parseSpread(r.stdout, target, requests)[0];
      if (tally === undefined) throw new Error('the request loop printed nothing');
      return tally;
    };
    try {
      await poll({
        what: `outside → Service released on ${ip}:80 answering`,
        deadline: 'proxyRulesConverge',
        intervalMs: 1000,
        attempt: async () => {
          const t = await probe(`outside ${outside.ip} → released ${ip}:80 before deletion`);
          return { done: reached(t) === requests, state: describeOutcomes(t) };
        },
      });
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      throw new CheckFailure(
        `before its deletion, Service released expected to answer outside clients on ${ip}:80, observed ${error.lastState}`,
        evidence,
      );
    }
    // 2. delete it; the address must stop answering
    await deleteService('released');
    const deletedAt = performance.now();
    try {
      await poll({
        what: `outside → ${ip}:80 no longer answering after Service released was deleted`,
        deadline: 'loadBalancerRelease',
        intervalMs: 1000,
        attempt: async () => {
          const t = await probe(`outside ${outside.ip} → ${ip}:80 after deletion`);
          return { done: reached(t) === 0, state: describeOutcomes(t) };
        },
      });
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      throw new CheckFailure(
        `after deleting Service released, ${ip}:80 expected no answer within ${timeout('loadBalancerRelease') / 1000} s, observed ${error.lastState}`,
        evidence,
      );
    }
    evidence.note(
      'address withdrawn',
      `${ip}:80 stopped answering ${((performance.now() - deletedAt) / 1000).toFixed(1)} s after the deletion ` +
        `(no request of ${requests} reached a backend)`,
    );
    // 3. the address is free again: a new Service asking for it gets it
    await createService(ctx, loadBalancerService('reuse', 'web', 'Cluster', ip));
    ctx.cleanup.defer('Service reuse', () => deleteService('reuse'));
    let again: string;
    try {
      again = (await waitForAddress(ctx, 'reuse', performance.now())).ip;
    } catch (error) {
      throw new CheckFailure(
        `a new Service asking for the released address ${ip} (spec.loadBalancerIP) expected to get it: ${(error as Error).message}`,
        evidence,
      );
    }
    if (again !== ip) {
      throw new CheckFailure(
        `a new Service asking for the released address ${ip} (spec.loadBalancerIP) got ${again} instead`,
        evidence,
      );
    }
    evidence.note('address reassigned', `Service reuse got ${ip} again`);
  },
});
