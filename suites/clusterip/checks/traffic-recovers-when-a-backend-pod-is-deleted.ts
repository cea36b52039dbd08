// Expected: traffic to the ClusterIP of `churn` (3 replicas) recovers when one backend pod is
// deleted under it. The client runs one exec of requests for 10 s, one every 50 ms on a new
// connection with 1 s timeouts, each with its start and end time; once 20 requests are done
// (~1.5 s in) the first pod is deleted. The interruption is measured and reported (failed requests,
// longest time without a successful answer, the deleted pod's last answer), not bounded: how many
// in-flight requests a graceful termination costs is the implementation's business.
//
// The bound is recovery: the last 20 requests (the last ~1.5 s, which start more than 6 s after the
// deletion) must all succeed and be answered by a pod other than the deleted one. Removing an
// endpoint takes the EndpointSlice controller and a kube-proxy sync, about a second, and the pod's
// grace period is 2 s, so anything still failing 6 s later is a Service that did not recover.
import { summarizeInterruption } from '../../../helpers/interruption.ts';
import { ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { isReadyPod, podNames, podsOf } from '../backends.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { pollProbe } from '../poll-probe.ts';
import { outcomeCounts, runLoop, serviceURL, type LoopRequest } from '../request-loop.ts';

/** How long the stream runs, its pace and the per-request timeouts. */
const streamMs = 10_000;
const paceSeconds = 0.05;
/** Requests sent before the pod is deleted. */
const requestsBeforeDeletion = 20;
/** The tail that must be all successful: recovery. */
const tailSize = 20;

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
    const progressFile = `/tmp/knc-progress-${ctx.run.id}-churn`;

    const streaming = runLoop(ctx, client, {
      urls: [url],
      durationMs: streamMs,
      paceSeconds,
      connectTimeoutSeconds: 1,
      maxTimeSeconds: 1,
      progressFile,
      timestamps: true,
    });
    // Wait for the stream to be under way (deadline of the probe exec that runs it).
    const sent = await pollProbe({
      evidence,
      title: `progress of the stream (${progressFile})`,
      what: `${requestsBeforeDeletion} requests of the stream sent`,
      deadline: 'probeExec',
      intervalMs: 200,
      round: async () => {
        const probe = await ctx.exec(client, 'netshoot', ['cat', progressFile]);
        const n = Number(probe.stdout.trim() || '0');
        return { probe, done: n >= requestsBeforeDeletion, state: n, observed: `${n} sent` };
      },
      failure: (last, deadline) =>
        `the request stream to ${url} was expected to send ${requestsBeforeDeletion} requests within "${deadline}" before ${victim} is deleted, observed ${last}`,
    });
    const deletedAtMs = Date.now();
    await ctx.core.deleteNamespacedPod({ name: victim, namespace: ctx.namespace });
    evidence.note(
      'deletion',
      `deleted ${victim} after request #${sent}, at ${new Date(deletedAtMs).toISOString()}`,
    );
    const loop = await streaming;
    evidence.probe(
      `client → ${url}: ${streamMs / 1000} s of requests, every ${paceSeconds * 1000} ms`,
      loop.probe,
    );

    const requests = loop.requests;
    const summary = summarizeInterruption(
      requests.map((r) => ({
        seq: r.seq,
        startMs: r.startMs,
        endMs: r.endMs,
        ok: r.outcome === ConnectOutcome.Reached && r.backend !== undefined,
      })),
      tailSize,
    );
    const tail = requests.slice(-tailSize);
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
      `; last ${tailSize}: ${summary.tailOk && tailFromVictim.length === 0 ? 'all answered by live pods' : outcomeCounts(tail)}`;
    evidence.note(
      'interruption',
      `${report}\n\ntimeline around the deletion (ms relative to it):\n` +
        requests
          .filter((r) => r.seq >= firstShown && r.seq <= lastShown)
          .map((r) => timelineLine(r, deletedAtMs))
          .join('\n'),
    );
    ctx.log(`churn: ${report}`);

    if (requests.length < sent + tailSize) {
      throw new CheckFailure(
        `the stream to ${url} had ${requests.length} requests; expected more than ${sent + tailSize} (the ${tailSize} after the deletion at #${sent} that show recovery)`,
        evidence,
      );
    }
    if (!summary.tailOk || tailFromVictim.length > 0) {
      throw new CheckFailure(
        `${url} after deleting ${victim}: expected the last ${tailSize} requests all answered by live pods (recovered), observed ${outcomeCounts(tail)}` +
          (tailFromVictim.length > 0
            ? `, ${tailFromVictim.length} answered by the deleted ${victim}`
            : '') +
          `\n${report}`,
        evidence,
      );
    }
  },
});
