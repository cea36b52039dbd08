// Expected: a pod that matches the Service's selector but is not Ready gets no traffic. The Service
// `gate` selects 2 nginx pods whose readiness probe passes and the pod `gate-unready`, whose probe
// asks for a path nginx answers 404 to (the kubelet's Unhealthy event shows the probe failing).
//
// - The EndpointSlices list as ready exactly the Ready pods' IP:80 (port named http): expected and
//   observed sets are compared and their difference printed. The unready pod may be listed with
//   ready=false (the EndpointSlice controller publishes not-ready endpoints that way, so consumers
//   such as headless DNS with publishNotReadyAddresses can use them) but never as ready.
// - 100 requests to the ClusterIP all succeed, every Ready pod answers, and `gate-unready` answers
//   none. Only the second can fail a correct proxy by chance: one of the 2 Ready pods is left out
//   with probability 2·(1/2)^100 ≈ 2e-30. A proxy that also picks the unready pod, as a third of
//   three, is missed with probability (2/3)^100 ≈ 2e-18.
import { PollTimeoutError, poll } from '../../../helpers/poll.ts';
import { histogram, renderSpread } from '../../../helpers/spread.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import {
  isReadyPod,
  podNames,
  podsOf,
  renderSliceEndpoints,
  sliceEndpoints,
  type SliceEndpoint,
} from '../backends.ts';
import { missingPath, type ClusterIPFixtures } from '../fixtures.ts';
import { outcomeCounts, runLoop, serviceURL } from '../request-loop.ts';

const requests = 100;

/** Renders "a, b" or "none". */
function list(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/a-pod-that-is-not-ready-gets-no-traffic',
  title:
    'a pod that is not Ready is not a ready endpoint and gets no traffic; EndpointSlices list exactly the Ready pods',
  assess: async (ctx, f, evidence) => {
    const unready = f.gateUnready.metadata?.name ?? '';
    const unreadyIP = f.gateUnready.status?.podIP ?? '';

    // The readiness probe has run and failed (not merely "not run yet").
    const events = await poll({
      what: `an Unhealthy (readiness probe failed) event for pod ${unready}`,
      deadline: 'podReady',
      intervalMs: 1000,
      attempt: async () => {
        const list = await ctx.core.listNamespacedEvent({
          namespace: ctx.namespace,
          fieldSelector: `involvedObject.name=${unready}`,
        });
        const unhealthy = list.items.filter((e) => e.reason === 'Unhealthy');
        return {
          done: unhealthy.length > 0,
          state: unhealthy,
          summary:
            list.items.map((e) => `${e.reason ?? '?'}: ${e.message ?? ''}`).join(' | ') ||
            'no events',
        };
      },
    });
    evidence.note(
      `events of ${unready} (probe path ${missingPath})`,
      events.map((e) => `${e.reason ?? '?'} x${e.count ?? 1}: ${e.message ?? ''}`).join('\n'),
    );

    const key = (e: Pick<SliceEndpoint, 'address' | 'port' | 'portName'>): string =>
      `${e.address}:${e.port}/${e.portName}`;
    let expected: string[] = [];
    let observed: string[] = [];
    let endpoints: SliceEndpoint[] = [];
    let readyPods: string[] = [];
    try {
      await poll({
        what: `the ready endpoints of ${f.gate.name} to be exactly its Ready pods`,
        deadline: 'endpointsConverge',
        attempt: async () => {
          const [pods, eps] = await Promise.all([
            podsOf(ctx, f.gate.name),
            sliceEndpoints(ctx, f.gate.name),
          ]);
          const ready = pods.filter(isReadyPod);
          readyPods = podNames(ready);
          endpoints = eps;
          expected = ready
            .map((p) => key({ address: p.status?.podIP ?? '?', port: 80, portName: 'http' }))
            .sort();
          observed = eps
            .filter((e) => e.ready)
            .map(key)
            .sort();
          return {
            done: expected.join() === observed.join() && !readyPods.includes(unready),
            state: observed,
            summary: `expected ${list(expected)}; observed ${list(observed)}`,
          };
        },
      });
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      const missing = expected.filter((e) => !observed.includes(e));
      const extra = observed.filter((e) => !expected.includes(e));
      evidence.note(`EndpointSlices of ${f.gate.name}`, renderSliceEndpoints(endpoints));
      throw new CheckFailure(
        `EndpointSlices of ${f.gate.name}: expected ready endpoints {${list(expected)}} (Ready pods ${list(readyPods)}), observed {${list(observed)}} within "${error.deadline}"; ` +
          `missing ${list(missing)}, unexpected ${list(extra)}` +
          (extra.some((e) => e.startsWith(`${unreadyIP}:`))
            ? ` (${unready} is listed as ready)`
            : ''),
        evidence,
      );
    }
    const unreadyEntry = endpoints.find((e) => e.address === unreadyIP);
    evidence.note(
      `EndpointSlices of ${f.gate.name}`,
      `${renderSliceEndpoints(endpoints)}\n\nexpected ready: ${list(expected)}\nobserved ready: ${list(observed)}\n` +
        `${unready} (${unreadyIP}): ${unreadyEntry === undefined ? 'absent' : `listed with ready=${unreadyEntry.ready}`}`,
    );

    const url = serviceURL(f.gate.ip);
    const loop = await runLoop(ctx, f.client.metadata?.name ?? '', {
      urls: [url],
      rounds: requests,
    });
    evidence.probe(`client → ${url}: ${requests} requests`, loop.probe);
    const counts = histogram(
      loop.requests.map((r) => r.backend ?? `(${r.outcome})`),
      [...readyPods, unready],
    );
    const table = renderSpread(
      [...counts].map(([k, v]) => ({
        key: k,
        observed: v,
        expected: readyPods.includes(k) ? requests / readyPods.length : 0,
      })),
    );
    evidence.note('spread', table);
    const starved = readyPods.filter((p) => (counts.get(p) ?? 0) === 0);
    const toUnready = counts.get(unready) ?? 0;
    const failed = loop.requests.filter((r) => r.backend === undefined);
    if (
      toUnready > 0 ||
      starved.length > 0 ||
      failed.length > 0 ||
      loop.requests.length !== requests
    ) {
      throw new CheckFailure(
        `${url}: expected ${requests} answers from the Ready pods ${list(readyPods)} and none from ${unready}, observed ` +
          `${unready} answered ${toUnready}, Ready pods with 0: ${list(starved)}, ${outcomeCounts(loop.requests)}\n${table}`,
        evidence,
      );
    }
  },
});
