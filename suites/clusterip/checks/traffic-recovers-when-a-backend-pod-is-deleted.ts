// Expected: traffic to the ClusterIP of `churn` (3 replicas) recovers when one backend pod is
// deleted under it. The client runs one exec of requests, one every 50 ms on a new connection with
// 1 s timeouts, each with its start and end time; once 20 requests are done the first pod is
// deleted. The interruption is measured and reported (failed requests, longest time without a
// successful answer, the deleted pod's last answer), not bounded: how many in-flight requests a
// graceful termination costs is the implementation's business.
//
// The bound is recovery: 6 s after the deletion the check reads how many requests were sent; the 20
// requests after those (they start more than 6 s after the deletion) must all succeed and be
// answered by a pod other than the deleted one, then the check stops the stream. Removing an
// endpoint takes the EndpointSlice controller and a kube-proxy sync, about a second, and the pod's
// grace period is 2 s, so anything still failing 6 s later is a Service that did not recover.
//
// The stream is paced by request counts, not by a fixed duration, so it holds on a slow cluster too:
// on the IPVS lane's emulated node one request with its timestamps takes seconds. On a cluster
// declared slow (`--timeout-scale` above 1) the counts before the deletion and after the window
// shrink by the scale (to no fewer than 5 each), the curl limits grow with it, and the window is
// the time the project gives kube-proxy to program a change (`proxyRulesConverge`, scaled), since
// a kube-proxy sync there does not slow down by the same factor as the rest: in the lane (scale 4)
// the deleted pod still got new connections 75 s after its deletion, while the kube-proxy area saw
// its rules converge in about 2 min.
import { summarizeInterruption } from '../../../helpers/interruption.ts';
import { systemClock } from '../../../helpers/clock.ts';
import { ConnectOutcome } from '../../../helpers/outcomes.ts';
import { timeout, timeoutScale } from '../../../helpers/timeouts.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { isReadyPod, podNames, podsOf } from '../backends.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { pollProbe } from '../poll-probe.ts';
import { outcomeCounts, runLoop, serviceURL, type LoopRequest } from '../request-loop.ts';

/** The pause between requests of the stream. */
const paceSeconds = 0.05;
/** How long after the deletion the Service must have recovered, at scale 1. */
const recoveryMs = 6_000;
/** Requests sent before the pod is deleted, and requests after the recovery window, at scale 1. */
const streamCount = 20;
/** The fewest requests before the deletion and after the window, however slow the cluster. */
const fewestCount = 5;

/** The stream's counts and recovery window for a timeout scale (the constants at scale 1). */
function streamPlan(scale: number): {
  readonly requestsBeforeDeletion: number;
  readonly tailSize: number;
  readonly recoveryMs: number;
} {
  const count = Math.max(fewestCount, Math.round(streamCount / Math.max(1, scale)));
  return {
    requestsBeforeDeletion: count,
    tailSize: count,
    recoveryMs:
      scale <= 1 ? recoveryMs : Math.max(recoveryMs * scale, timeout('proxyRulesConverge', scale)),
  };
}

/** "120 ms after" or "40 ms before". */
function relative(ms: number): string {
  return ms >= 0 ? `${ms} ms after` : `${-ms} ms before`;
}

/** One line of the timeline for evidence. */
function timelineLine(r: LoopRequest, deletedAtMs: number): string {
  const rel = r.startMs - deletedAtMs;
  return `#${String(r.seq).padStart(3)} ${rel >= 0 ? '+' : ''}${rel} ms  ${r.outcome.padEnd(9)} ${r.backend ?? r.error}`;
}

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/traffic-recovers-when-a-backend-pod-is-deleted',
  title: 'traffic to a ClusterIP recovers when a backend pod is deleted under it',
  assess: async (ctx, f, evidence) => {
    const client = f.client.metadata?.name ?? '';
    const url = serviceURL(f.churn.ip);
    const pods = (await podsOf(ctx, f.churn.name)).filter(isReadyPod);
    const victim = podNames(pods)[0];
    if (victim === undefined) throw new Error(`no Ready pod of ${f.churn.name}`);
    evidence.note('backends before', `${podNames(pods).join('\n')}\nto delete: ${victim}`);
    const { requestsBeforeDeletion, tailSize, recoveryMs: windowMs } = streamPlan(timeoutScale());
    const progressFile = `/tmp/knc-progress-${ctx.run.id}-churn`;
    const stopFile = `/tmp/knc-stop-${ctx.run.id}-churn`;
    // Waits until a read of the progress file shows at least `min` requests sent, and returns the
    // count. The loop rewrites the file after every request, so a read can find it empty: no count.
    const waitUntilSent = (
      min: number,
      title: string,
      failure: (last: string, deadline: string) => string,
    ): Promise<number> =>
      pollProbe({
        evidence,
        title: `${title} (${progressFile})`,
        what: `${min} requests of the stream sent`,
        deadline: 'probeExec',
        intervalMs: 200,
        round: async () => {
          const probe = await ctx.exec(client, 'netshoot', ['cat', progressFile]);
          const text = probe.stdout.trim();
          const n = /^\d+$/.test(text) ? Number(text) : undefined;
          return {
            probe,
            done: n !== undefined && n >= min,
            state: n ?? 0,
            observed: n === undefined ? 'no count' : `${n} sent`,
          };
        },
        failure,
      });

    // The stream's own cap: both waits below at their deadlines, and the recovery window.
    const streaming = runLoop(ctx, client, {
      urls: [url],
      durationMs: 2 * timeout('probeExec') + windowMs,
      paceSeconds,
      connectTimeoutSeconds: 1,
      maxTimeSeconds: 1,
      progressFile,
      stopFile,
      timestamps: true,
    });
    // A failed wait below leaves the stream to end on its own; its outcome then goes unread.
    streaming.catch(() => undefined);
    let sent: number;
    let windowEnd: number;
    let deletedAtMs: number;
    try {
      // Wait for the stream to be under way (deadline of the probe exec that runs it).
      sent = await waitUntilSent(
        requestsBeforeDeletion,
        'progress of the stream',
        (last, deadline) =>
          `the request stream to ${url} was expected to send ${requestsBeforeDeletion} requests within "${deadline}" before ${victim} is deleted, observed ${last}`,
      );
      deletedAtMs = Date.now();
      await ctx.core.deleteNamespacedPod({ name: victim, namespace: ctx.namespace });
      evidence.note(
        'deletion',
        `deleted ${victim} after request #${sent}, at ${new Date(deletedAtMs).toISOString()}`,
      );
      await systemClock.sleep(Math.max(0, deletedAtMs + windowMs - Date.now()));
      windowEnd = await waitUntilSent(
        sent,
        'progress of the stream at the end of the recovery window',
        (last, deadline) =>
          `the request stream to ${url} was expected to show how many requests it had sent within "${deadline}", observed ${last}`,
      );
      evidence.note(
        'recovery window',
        `${windowMs / 1000} s after the deletion, ${windowEnd} requests had been sent; the ${tailSize} after #${windowEnd} must all be answered by live pods`,
      );
      await waitUntilSent(
        windowEnd + tailSize,
        'progress of the stream after the recovery window',
        (last, deadline) =>
          `the request stream to ${url} was expected to send ${tailSize} requests after #${windowEnd} within "${deadline}", observed ${last}`,
      );
    } finally {
      // Ends the stream at its next request, also when a wait above failed.
      await ctx.exec(client, 'netshoot', ['touch', stopFile]).catch(() => undefined);
    }
    const loop = await streaming;
    evidence.probe(
      `client → ${url}: requests every ${paceSeconds * 1000} ms until #${windowEnd + tailSize} or later`,
      loop.probe,
    );

    const requests = loop.requests;
    const tail = requests.filter((r) => r.seq > windowEnd);
    // The summary's tail is every request after the window.
    const summary = summarizeInterruption(
      requests.map((r) => ({
        seq: r.seq,
        startMs: r.startMs,
        endMs: r.endMs,
        ok: r.outcome === ConnectOutcome.Reached && r.backend !== undefined,
      })),
      tail.length,
    );
    const tailFromVictim = tail.filter((r) => r.backend === victim);
    const victimLast = requests.filter((r) => r.backend === victim).at(-1);
    const firstShown = Math.max(1, Math.min(sent, summary.firstFailedSeq ?? sent) - 3);
    const lastShown = Math.max(sent + 5, (summary.lastFailedSeq ?? 0) + 3);
    const report =
      `${summary.total} requests (${outcomeCounts(requests)}); ${summary.failed} failed` +
      (summary.firstFailedSeq === undefined
        ? ''
        : ` (#${summary.firstFailedSeq}..#${summary.lastFailedSeq ?? '?'})`) +
      `; longest time without an answer ${summary.longestGapMs} ms` +
      ` (after #${summary.longestGapAfterSeq ?? 'start'}, before #${summary.longestGapBeforeSeq ?? 'end'})` +
      `; ${victim} last answered ${victimLast === undefined ? 'never' : `${relative(victimLast.startMs - deletedAtMs)} its deletion (#${victimLast.seq})`}` +
      `; after #${windowEnd} (${windowMs / 1000} s after the deletion): ${summary.tailOk && tailFromVictim.length === 0 ? 'all answered by live pods' : outcomeCounts(tail)}`;
    evidence.note(
      'interruption',
      `${report}\n\ntimeline around the deletion (ms relative to it):\n` +
        requests
          .filter((r) => r.seq >= firstShown && r.seq <= lastShown)
          .map((r) => timelineLine(r, deletedAtMs))
          .join('\n'),
    );
    ctx.log(`churn: ${report}`);

    if (tail.length < tailSize) {
      throw new CheckFailure(
        `the stream to ${url} had ${requests.length} requests; expected at least ${windowEnd + tailSize} (the ${tailSize} after #${windowEnd}, the last request sent ${windowMs / 1000} s after the deletion, that show recovery)`,
        evidence,
      );
    }
    if (!summary.tailOk || tailFromVictim.length > 0) {
      throw new CheckFailure(
        `${url} after deleting ${victim}: expected every request after #${windowEnd} (${windowMs / 1000} s after the deletion) answered by a live pod (recovered), observed ${outcomeCounts(tail)}` +
          (tailFromVictim.length > 0
            ? `, ${tailFromVictim.length} answered by the deleted ${victim}`
            : '') +
          `\n${report}`,
        evidence,
      );
    }
  },
});
