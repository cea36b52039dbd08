/**
 * The procedure behind the per-mode rule checks: read the ready endpoints of Service "backends"
 * from its EndpointSlices, dump the node's rules until they hold exactly those endpoints, scale the
 * Deployment down by one, and dump again until the rules follow. Each phase waits through poll()
 * (endpointsConverge, then proxyRulesConverge) and fails with the expected/observed table of the
 * last dump.
 */
import { PollTimeoutError, poll } from '../../helpers/poll.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { CheckFailure, type Evidence } from '../framework/evidence.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import type { KubeProxyFixtures } from './fixtures.ts';
import { mismatches, renderComparison, type ComparisonRow } from '../framework/comparison.ts';

/** How one mode's rules are read and compared. */
export interface RuleReader {
  /** What is read, for messages: "iptables-save -t nat". */
  readonly name: string;
  /** The dump command, run in the host-network probe pod. */
  readonly command: readonly string[];
  /** Compares a dump with the ready endpoints ("ip:port") of the Service port. */
  compare(dump: ProbeResult, readyEndpoints: readonly string[]): ComparisonRow[];
}

/** The ready endpoints ("ip:port") of a Service port, from its EndpointSlices of the ClusterIP's family. */
export async function readyEndpoints(
  ctx: SuiteContext,
  service: string,
  portName: string,
  ipv6: boolean,
): Promise<string[]> {
  const slices = await ctx.discovery.listNamespacedEndpointSlice({
    namespace: ctx.namespace,
    labelSelector: `kubernetes.io/service-name=${service}`,
  });
  const out: string[] = [];
  for (const slice of slices.items) {
    if (slice.addressType !== (ipv6 ? 'IPv6' : 'IPv4')) continue;
    const port = slice.ports?.find((p) => (p.name ?? '') === portName)?.port;
    if (port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      const address = ep.addresses[0];
      if (address !== undefined) out.push(ipv6 ? `[${address}]:${port}` : `${address}:${port}`);
    }
  }
  return out.sort();
}

async function awaitReadyEndpoints(
  ctx: SuiteContext,
  f: KubeProxyFixtures,
  count: number,
): Promise<string[]> {
  const ipv6 = (f.backends.service.spec?.clusterIP ?? '').includes(':');
  return poll({
    what: `${count} ready endpoint(s) in the EndpointSlices of Service ${ctx.namespace}/backends`,
    deadline: 'endpointsConverge',
    intervalMs: 1000,
    attempt: async () => {
      const eps = await readyEndpoints(ctx, 'backends', f.backends.portName, ipv6);
      return { done: eps.length === count, state: eps, summary: eps.join(', ') || 'none' };
    },
  });
}

async function awaitRules(
  ctx: SuiteContext,
  f: KubeProxyFixtures,
  reader: RuleReader,
  expected: readonly string[],
  phase: string,
  evidence: Evidence,
): Promise<void> {
  const pod = f.ruleReader.pod.metadata?.name ?? '';
  let last: { dump: ProbeResult; rows: ComparisonRow[] } | undefined;
  try {
    await poll({
      what: `${reader.name} on ${f.ruleReader.node} to hold the ${expected.length} ready endpoint(s) of ${ctx.namespace}/backends:${f.backends.portName}`,
      deadline: 'proxyRulesConverge',
      intervalMs: 2000,
      attempt: async () => {
        const dump = await ctx.exec(pod, 'netshoot', reader.command);
        if (dump.exitCode !== 0) {
          last = { dump, rows: [] };
          return {
            done: false,
            state: undefined,
            summary: `exit ${dump.exitCode ?? 'none'}: ${dump.stderr}`,
          };
        }
        const rows = reader.compare(dump, expected);
        last = { dump, rows };
        const bad = mismatches(rows);
        return {
          done: bad.length === 0,
          state: undefined,
          summary: `${bad.length} row(s) differ: ${bad.map((r) => `${r.item}: expected ${r.expected}, observed ${r.observed}`).join('; ')}`,
        };
      },
    });
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    const table = last === undefined ? '(no dump)' : renderComparison(last.rows);
    evidence.note(`expected ready endpoints (${phase})`, expected.join('\n') || 'none');
    if (last !== undefined) evidence.probe(`${reader.name} on ${f.ruleReader.node}`, last.dump);
    evidence.note(`expected vs observed (${phase})`, table);
    throw new CheckFailure(
      `${reader.name} on ${f.ruleReader.node} ${phase}: the rules of ${ctx.namespace}/backends:${f.backends.portName} ` +
        `did not hold the ${expected.length} ready endpoint(s) within ${(error.elapsedMs / 1000).toFixed(0)} s ` +
        `(deadline proxyRulesConverge):\n${table}`,
      evidence,
    );
  }
  if (last !== undefined) {
    evidence.probe(`${reader.name} on ${f.ruleReader.node} (${phase})`, last.dump);
    evidence.note(`expected vs observed (${phase})`, renderComparison(last.rows));
  }
}

/**
 * Verifies that the node's rules hold one entry per ready endpoint of Service "backends", then
 * scales its Deployment down by one and verifies the rules follow.
 */
export async function expectRulesFollowScaling(
  ctx: SuiteContext,
  f: KubeProxyFixtures,
  reader: RuleReader,
  evidence: Evidence,
): Promise<void> {
  const before = f.backends.replicas;
  const initial = await awaitReadyEndpoints(ctx, f, before);
  await awaitRules(ctx, f, reader, initial, `with ${before} replicas`, evidence);
  const after = before - 1;
  await ctx.apps.replaceNamespacedDeploymentScale({
    name: f.backends.deployment,
    namespace: ctx.namespace,
    body: {
      metadata: { name: f.backends.deployment, namespace: ctx.namespace },
      spec: { replicas: after },
    },
  });
  const scaled = await awaitReadyEndpoints(ctx, f, after);
  await awaitRules(ctx, f, reader, scaled, `after scaling ${before} → ${after}`, evidence);
}
