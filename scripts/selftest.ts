// `npm run selftest`: every check can fail. Creates one run-scoped kind cluster of the iptables
// profile (its removal registered on a cleanup stack, so Ctrl-C and failures remove it), then for
// each break of selftest/breaks/ in order: applies it, runs the areas it names through
// `bin/netconform run --kubeconfig …`, prints the matrix of check × expected × observed × message,
// and repairs it. Breaks that cannot be repaired come last; after one, the remaining breaks are
// reported as not verifiable. Ends with "N passed, N failed" (breaks verified or not) and exits 0
// only when every break was caught by the checks that guard against it while the unrelated checks
// it names passed. The first break's report is also looked at in headless Chromium, its screenshot
// saved beside it (selftest/report-in-browser.ts): a report that does not show the failure fails.
//
//   npm run selftest                        # every break, on a new cluster
//   npm run selftest -- --only coredns-scaled-to-zero,backend-never-receives-traffic
//   npm run selftest -- --kubeconfig K --context C --cluster NAME   # an existing kind cluster
//                                           # of ours (kept; it is left broken by what ran)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { suiteAreas } from '../cli/suites.ts';
import { progress } from '../cli/program.ts';
import { clusterUp } from '../clusters/cluster.ts';
import { repoRoot } from '../clusters/paths.ts';
import { CleanupStack, cleanupOnSignals } from '../helpers/cleanup.ts';
import { messageOf } from '../helpers/errors.ts';
import { newRun, runScopedName } from '../helpers/run-id.ts';
import { clientsOf, type Break, type SelftestCluster } from '../selftest/break.ts';
import backendNeverReceivesTraffic from '../selftest/breaks/backend-never-receives-traffic.ts';
import corednsCannotReachUpstream from '../selftest/breaks/coredns-cannot-reach-its-upstream-resolver.ts';
import corednsScaledToZero from '../selftest/breaks/coredns-scaled-to-zero.ts';
import largePacketsDropped from '../selftest/breaks/large-packets-dropped-between-nodes.ts';
import hairpinOff from '../selftest/breaks/hairpin-mode-off-on-the-pod-bridges.ts';
import kubeProxyRemoved from '../selftest/breaks/kube-proxy-removed-and-rules-flushed.ts';
import loadBalancerControllerScaledToZero from '../selftest/breaks/load-balancer-controller-scaled-to-zero.ts';
import nodePortDropped from '../selftest/breaks/node-port-traffic-dropped-on-one-node.ts';
import podEgressDropped from '../selftest/breaks/pod-egress-to-the-nodes-network-dropped.ts';
import serviceLinksDisabled from '../selftest/breaks/service-links-disabled-by-a-webhook.ts';
import udpToEchoPortDropped from '../selftest/breaks/udp-to-the-echo-port-dropped-in-forward.ts';
import { reportInBrowserOfFirstBreak } from '../selftest/report-in-browser.ts';
import { runBreakSuites } from '../selftest/run-break.ts';
import {
  judgeBreak,
  renderMatrix,
  renderSummary,
  type BreakVerdict,
  type Expectations,
} from '../selftest/verdict.ts';

/** The breaks, in the order they run: repairable first, destructive last. */
const breaks: readonly Break[] = [
  corednsScaledToZero,
  nodePortDropped,
  backendNeverReceivesTraffic,
  loadBalancerControllerScaledToZero,
  podEgressDropped,
  corednsCannotReachUpstream,
  largePacketsDropped,
  hairpinOff,
  udpToEchoPortDropped,
  serviceLinksDisabled,
  kubeProxyRemoved,
];

/** The areas a check reference belongs to (ids are `<area>/<file>`; titles name none). */
function areaOf(ref: string): string | undefined {
  return /^([a-z0-9-]+)\/[a-z0-9-]+$/.exec(ref)?.[1];
}

/**
 * What keeps a break from being verified before it runs: an area it needs is not in the tree, or a
 * check id it names has no file (renamed or moved: fix selftest/checks.ts).
 */
function staticProblems(b: Break, areas: readonly string[]): string[] {
  const refs = [...b.mustFail.map((m) => m.check), ...b.mustPass];
  const needed = new Set([...b.suites, ...refs.map(areaOf).filter((a) => a !== undefined)]);
  const missingAreas = [...needed].filter((a) => !areas.includes(a));
  const problems = missingAreas.map((a) => `not verifiable: area missing (${a})`);
  for (const ref of refs) {
    const area = areaOf(ref);
    if (area === undefined || missingAreas.includes(area)) continue;
    if (!b.suites.includes(area))
      problems.push(`${ref}: its area ${area} is not among the suites run`);
    const file = join(repoRoot, 'suites', area, 'checks', `${ref.slice(area.length + 1)}.ts`);
    if (!existsSync(file)) problems.push(`${ref}: no such check (fix selftest/checks.ts)`);
  }
  return problems;
}

/** The break's expectations with the cluster-dependent patterns resolved. */
function expectationsOf(b: Break, cluster: SelftestCluster): Expectations {
  return {
    mustFail: b.mustFail.map((m) => ({
      check: m.check,
      message: typeof m.message === 'function' ? m.message(cluster) : m.message,
    })),
    mustPass: b.mustPass,
  };
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      cluster: { type: 'string' },
    },
  });
  const started = performance.now();
  const log = progress(started);
  const only = values.only?.split(',').map((s) => s.trim()) ?? [];
  const unknown = only.filter((n) => !breaks.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(
      `unknown break(s): ${unknown.join(', ')}; known: ${breaks.map((b) => b.name).join(', ')}`,
    );
    return 2;
  }
  const existing = values.kubeconfig !== undefined;
  if (existing && (values.cluster === undefined || values.context === undefined)) {
    console.error('--kubeconfig needs --context and --cluster (the kind cluster name)');
    return 2;
  }
  const chosen = only.length === 0 ? breaks : breaks.filter((b) => only.includes(b.name));
  const areas = suiteAreas();
  const run = newRun();
  const outDir = join(repoRoot, 'reports', 'out', 'selftest');
  const verdicts: BreakVerdict[] = [];
  const cleanup = new CleanupStack({ log });
  const removeHandlers = cleanupOnSignals(cleanup);
  const reportInBrowser = reportInBrowserOfFirstBreak({ log, cleanup });
  try {
    let kubeconfig: string;
    let context: string;
    let name: string;
    if (existing) {
      kubeconfig = values.kubeconfig ?? '';
      context = values.context ?? '';
      name = values.cluster ?? '';
    } else {
      const state = await clusterUp({
        profile: 'iptables',
        name: runScopedName(run, 'knc-selftest'),
        log,
        cleanup,
      });
      ({ kubeconfig, context, name } = state);
    }
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    kc.setCurrentContext(context);
    const cluster: SelftestCluster = { name, kubeconfig, context, kc, log, ...clientsOf(kc) };
    log(`cluster ${name} ready after ${minutes(performance.now() - started)}`);

    // Set once the cluster stays broken (a break without repair ran, or a repair failed).
    let brokenBy: string | undefined;
    for (const b of chosen) {
      const problems = staticProblems(b, areas);
      if (brokenBy !== undefined)
        problems.push(`not verifiable: the cluster is still broken by ${brokenBy}`);
      const expectations = expectationsOf(b, cluster);
      if (problems.length > 0) {
        const v = judgeBreak(b.name, expectations, [], problems);
        verdicts.push(v);
        console.log(`\n${renderMatrix(v)}`);
        continue;
      }
      const t0 = performance.now();
      log(`break ${b.name}: ${b.description}`);
      let repair: (() => Promise<void>) | undefined;
      try {
        repair = await b.apply(cluster);
      } catch (error) {
        const v = judgeBreak(b.name, expectations, [], [`could not apply: ${messageOf(error)}`]);
        verdicts.push(v);
        console.log(`\n${renderMatrix(v)}`);
        brokenBy = b.name; // half applied: nothing after it can be trusted
        continue;
      }
      const result = await runBreakSuites({
        kubeconfig,
        context,
        areas: b.suites,
        reportDir: join(outDir, b.name),
        log,
      });
      const runProblems = [
        ...(result.exitCode === 2 ? ['netconform exited 2 (set-up error): see its log'] : []),
        ...result.suiteErrors.map((e) => `suite error: ${e}`),
        ...(await reportInBrowser(b, join(outDir, b.name))),
      ];
      const v = judgeBreak(b.name, expectations, result.checks, runProblems);
      verdicts.push(v);
      console.log(
        `\n${renderMatrix(v)}\n(${b.suites.join(', ')} ran in ${minutes(result.durationMs)}; reports in ${join(outDir, b.name)})`,
      );
      if (repair === undefined) {
        brokenBy = b.name;
      } else {
        try {
          await repair();
          log(`break ${b.name}: repaired (${minutes(performance.now() - t0)} in all)`);
        } catch (error) {
          log(`break ${b.name}: repair FAILED: ${messageOf(error)}`);
          brokenBy = `${b.name} (repair failed)`;
        }
      }
    }
  } catch (error) {
    console.error(`selftest: ${messageOf(error)}`);
    return 2;
  } finally {
    try {
      await cleanup.runAll();
    } catch (error) {
      log(messageOf(error));
    }
    removeHandlers();
    log(`wall time ${minutes(performance.now() - started)}`);
  }
  console.log(`\n${renderSummary(verdicts)}`);
  return verdicts.every((v) => v.verified) ? 0 : 1;
}

process.exit(await main());
