// Expected: the ClusterIP of `scaling` follows its Deployment. Scaled from 2 to 4 replicas, the two
// new pods receive traffic once Ready, within the proxyRulesConverge deadline (kube-proxy syncs
// within its 30 s maximum period, usually within a second): batches of requests are sent until one
// reaches all 4 pods. A batch has the fewest requests with which a uniform spread misses one of 4
// with probability at most 1e-6 (coverageRequests in helpers/spread.ts: 53, 9.6e-7); a batch sent
// once the rules are synced is a fair sample, so that bounds the chance that a correct proxy fails
// the check, and a new pod that never gets traffic fails every batch. Scaled down to 1, the 3
// removed pods stop receiving within the same deadline: a batch of 20 requests is all answered by
// the one pod left, with no failed request (no chance involved).
import type { V1Pod } from '@kubernetes/client-node';
import { poll } from '../../../helpers/poll.ts';
import { coverageRequests, histogram } from '../../../helpers/spread.ts';
import type { TimeoutName } from '../../../helpers/timeouts.ts';
import { defineCheck } from '../../framework/check.ts';
import type { Evidence } from '../../framework/evidence.ts';
import type { SuiteContext } from '../../framework/suite-context.ts';
import { isReadyPod, podNames, podsOf } from '../backends.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { pollProbe } from '../poll-probe.ts';
import { runLoop, serviceURL } from '../request-loop.ts';

const scaledUp = 4;
const scaledDown = 1;
/** Requests per attempt after scaling up (all 4 pods must answer) and down (only 1 may). */
const upBatch = coverageRequests(scaledUp);
const downBatch = 20;

/** Sets the Deployment's replicas through its scale subresource. */
async function scale(ctx: SuiteContext, name: string, replicas: number): Promise<void> {
  await ctx.apps.replaceNamespacedDeploymentScale({
    name,
    namespace: ctx.namespace,
    body: { metadata: { name, namespace: ctx.namespace }, spec: { replicas } },
  });
}

/** Waits until exactly `replicas` pods of `app` are Ready and no other pod of it remains. */
async function awaitPods(ctx: SuiteContext, app: string, replicas: number): Promise<V1Pod[]> {
  return poll({
    what: `${replicas} Ready pod(s) of ${app} and no other`,
    deadline: 'deploymentReady',
    intervalMs: 1000,
    attempt: async () => {
      const pods = await podsOf(ctx, app);
      const ready = pods.filter(isReadyPod);
      const live = pods.filter((p) => p.metadata?.deletionTimestamp === undefined);
      return {
        done: ready.length === replicas && live.length === replicas,
        state: ready,
        summary: `Ready: ${podNames(ready).join(', ') || 'none'}; not deleted: ${live.length}`,
      };
    },
  });
}

/**
 * Sends batches until `accept` holds for a batch's histogram (every request answered by a pod),
 * under proxyRulesConverge; returns the time it took. On timeout throws a CheckFailure built by
 * `failure` from the last histogram.
 */
async function awaitTraffic(
  ctx: SuiteContext,
  f: ClusterIPFixtures,
  evidence: Evidence,
  phase: string,
  batch: number,
  expectedKeys: readonly string[],
  accept: (counts: Map<string, number>) => boolean,
  failure: (last: string, deadline: TimeoutName) => string,
): Promise<number> {
  const url = serviceURL(f.scaling.ip);
  const started = performance.now();
  await pollProbe({
    evidence,
    title: `${phase}: ${batch} requests to ${url}`,
    what: `${url} ${phase}`,
    deadline: 'proxyRulesConverge',
    round: async () => {
      const loop = await runLoop(ctx, f.client.metadata?.name ?? '', {
        urls: [url],
        rounds: batch,
      });
      const counts = histogram(
        loop.requests.map((r) => r.backend ?? `(${r.outcome})`),
        expectedKeys,
      );
      return {
        probe: loop.probe,
        done: loop.requests.length === batch && accept(counts),
        state: counts,
        observed: [...counts].map(([k, v]) => `${k}=${v}`).join(' '),
      };
    },
    failure,
  });
  return Math.round(performance.now() - started);
}

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/traffic-follows-scaling-up-and-down',
  title:
    'a ClusterIP follows scaling: new replicas receive traffic, removed ones stop receiving it',
  assess: async (ctx, f, evidence) => {
    const name = f.scaling.name;
    const original = podNames(await podsOf(ctx, name));
    evidence.note('pods before scaling', original.join('\n'));

    await scale(ctx, name, scaledUp);
    const up = podNames(await awaitPods(ctx, name, scaledUp));
    const added = up.filter((p) => !original.includes(p));
    evidence.note(
      `Ready after scaling to ${scaledUp}`,
      `${up.join('\n')}\nnew: ${added.join(', ')}`,
    );
    const upMs = await awaitTraffic(
      ctx,
      f,
      evidence,
      `answered by all ${scaledUp} replicas`,
      upBatch,
      up,
      (counts) => up.every((p) => (counts.get(p) ?? 0) > 0) && counts.size === up.length,
      (last, deadline) =>
        `Service ${name} scaled ${original.length}→${scaledUp}: expected the new replicas ${added.join(', ')} (and the old ones) to receive traffic within "${deadline}", observed ${last}`,
    );

    await scale(ctx, name, scaledDown);
    const down = podNames(await awaitPods(ctx, name, scaledDown));
    const removed = up.filter((p) => !down.includes(p));
    evidence.note(
      `left after scaling to ${scaledDown}`,
      `${down.join('\n')}\nremoved: ${removed.join(', ')}`,
    );
    const downMs = await awaitTraffic(
      ctx,
      f,
      evidence,
      `answered only by ${down.join(', ')}`,
      downBatch,
      [...down, ...removed],
      (counts) => down.every((p) => counts.get(p) === downBatch),
      (last, deadline) =>
        `Service ${name} scaled ${scaledUp}→${scaledDown}: expected only ${down.join(', ')} to answer within "${deadline}" (removed: ${removed.join(', ')}), observed ${last}`,
    );
    evidence.note(
      'convergence',
      `new replicas answering ${upMs} ms after all ${scaledUp} were Ready; removed replicas silent ${downMs} ms after the scale-down completed`,
    );
    ctx.log(`scaling: up in ${upMs} ms, down in ${downMs} ms`);
  },
});
