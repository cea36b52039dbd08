// Expected: the Service `renew` has a ClusterIP inside the cluster's Service range (read from
// kube-apiserver's --service-cluster-ip-range, else the ServiceCIDR objects, else anchored on the
// `kubernetes` Service; the evidence names the source), and it keeps that IP while every one of its
// pods is deleted and replaced: the IP belongs to the Service, not to its pods, and once the
// replacements are Ready the same IP answers from them. Failing: an IP outside the range, a
// different IP after the replacement, or the IP not answering from the new pods.
import { poll } from '../../../helpers/poll.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import {
  awaitReadyEndpoints,
  isReadyPod,
  podNames,
  podsOf,
  renderSliceEndpoints,
} from '../backends.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { pollProbe } from '../poll-probe.ts';
import { outcomeCounts, runLoop, serviceURL } from '../request-loop.ts';
import { inRange, readServiceRange, renderCidrs } from '../service-range.ts';

/** Requests per attempt when checking that the IP answers from the replacements. */
const requestsPerAttempt = 10;

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/service-gets-a-virtual-ip-from-the-service-range-and-keeps-it',
  title:
    'a Service gets a ClusterIP from the Service range and keeps it while its pods are replaced',
  assess: async (ctx, f, evidence) => {
    const name = f.renew.name;
    const range = await readServiceRange(ctx);
    evidence.note(
      'Service range',
      `${renderCidrs(range.cidrs)} (source: ${range.source})\n${range.detail}`,
    );
    const before = await ctx.core.readNamespacedService({ name, namespace: ctx.namespace });
    const ips = before.spec?.clusterIPs ?? [before.spec?.clusterIP ?? ''];
    evidence.note('ClusterIPs before', ips.join(', '));
    const outside = ips.filter((ip) => !inRange(ip, range.cidrs));
    if (outside.length > 0 || ips.length === 0) {
      throw new CheckFailure(
        `Service ${name}: expected its ClusterIP in ${renderCidrs(range.cidrs)} (${range.source}), observed ${ips.join(', ') || 'none'}`,
        evidence,
      );
    }

    const old = await podsOf(ctx, name);
    const oldNames = new Set(podNames(old));
    evidence.note('pods deleted', [...oldNames].join('\n'));
    await Promise.all(
      [...oldNames].map((pod) =>
        ctx.core.deleteNamespacedPod({ name: pod, namespace: ctx.namespace }),
      ),
    );
    const fresh = await poll({
      what: `${f.renew.replicas} Ready replacements of the pods of ${name}`,
      deadline: 'deploymentReady',
      intervalMs: 1000,
      attempt: async () => {
        const pods = (await podsOf(ctx, name)).filter(
          (p) => isReadyPod(p) && !oldNames.has(p.metadata?.name ?? ''),
        );
        return {
          done: pods.length === f.renew.replicas,
          state: pods,
          summary: `Ready replacements: ${podNames(pods).join(', ') || 'none'}`,
        };
      },
    });
    const freshNames = new Set(podNames(fresh));
    const converged = await awaitReadyEndpoints(ctx, name, name, { replicas: f.renew.replicas });
    evidence.note('EndpointSlices after replacement', renderSliceEndpoints(converged.endpoints));

    const after = await ctx.core.readNamespacedService({ name, namespace: ctx.namespace });
    const ipsAfter = after.spec?.clusterIPs ?? [after.spec?.clusterIP ?? ''];
    evidence.note('ClusterIPs after', ipsAfter.join(', '));
    if (ipsAfter.join() !== ips.join()) {
      throw new CheckFailure(
        `Service ${name}: expected to keep ClusterIP ${ips.join(', ')} after its pods were replaced, observed ${ipsAfter.join(', ') || 'none'}`,
        evidence,
      );
    }

    // The same IP now answers from the replacements only (kube-proxy may lag the slices).
    const url = serviceURL(ipsAfter[0] ?? '');
    await pollProbe({
      evidence,
      title: `client → ${url}, ${requestsPerAttempt} requests`,
      what: `${url} answered only by the replacements ${[...freshNames].join(', ')}`,
      deadline: 'proxyRulesConverge',
      round: async () => {
        const loop = await runLoop(ctx, f.client.metadata?.name ?? '', {
          urls: [url],
          rounds: requestsPerAttempt,
        });
        const answeredBy = new Set(loop.requests.map((r) => r.backend ?? `(${r.outcome})`));
        return {
          probe: loop.probe,
          done:
            loop.requests.length === requestsPerAttempt &&
            loop.requests.every((r) => r.backend !== undefined && freshNames.has(r.backend)),
          state: loop,
          observed: `${outcomeCounts(loop.requests)}; answered by ${[...answeredBy].join(', ')}`,
        };
      },
      failure: (last, deadline) =>
        `Service ${name} kept ClusterIP ${ipsAfter.join(', ')}, but expected it to answer from the replacements ${[...freshNames].join(', ')} within "${deadline}"; observed ${last}`,
    });
  },
});
