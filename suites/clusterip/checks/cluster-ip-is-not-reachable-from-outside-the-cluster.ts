// Expected: a ClusterIP is a virtual address that only exists in the Service proxy's rules on the
// nodes, so a host outside the cluster (a container on the nodes' Docker network, which has no
// route to the Service range) cannot reach web's backends through it: curl to ClusterIP:80 ends
// TimedOut, Unreachable or Refused, or reaches something that is not one of web's pods, never a
// backend's "This is web-…" answer. (Where the machine's egress goes through a transparent proxy,
// that proxy accepts the connection and answers itself; the response headers in the evidence show
// who answered, and it is not a backend.)
//
// Control: the same container reaches the control-plane node's InternalIP on 6443 (the API
// server's port; a TLS handshake and any HTTP answer count as Reached), so the check cannot pass
// merely because the container has no network at all.
import { classifyCurl, ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { needsOutsideHost } from '../../framework/cluster-facts.ts';
import { outsideOf } from '../../framework/outside.ts';
import { internalIP } from '../../framework/workloads.ts';
import { podNames, podsOf } from '../backends.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { serviceURL } from '../request-loop.ts';

/** The API server's port on the control-plane node. */
const apiServerPort = 6443;

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/cluster-ip-is-not-reachable-from-outside-the-cluster',
  title: 'a ClusterIP is not reachable from a host outside the cluster (control: the node is)',
  skipUnless: needsOutsideHost,
  assess: async (ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    if (f.controlPlane === undefined) {
      throw new Error(
        'no node labelled node-role.kubernetes.io/control-plane to use as the control target',
      );
    }
    const nodeIP = internalIP(f.controlPlane);
    const controlHost = nodeIP.includes(':') ? `[${nodeIP}]` : nodeIP;
    const control = evidence.probe(
      `control: ${outside.name} (${outside.ip}) → ${f.controlPlane.metadata?.name ?? '?'} ${nodeIP}:${apiServerPort}`,
      await outside.exec([
        'curl',
        '-sS',
        '-k',
        '--connect-timeout',
        '3',
        '--max-time',
        '5',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}\n',
        `https://${controlHost}:${apiServerPort}/`,
      ]),
    );
    const controlOutcome = classifyCurl(control);
    const url = serviceURL(f.web.ip);
    const probe = evidence.probe(
      `${outside.name} (${outside.ip}, outside) → ClusterIP ${url}`,
      await outside.exec(['curl', '-sS', '-i', '--connect-timeout', '3', '--max-time', '5', url]),
    );
    const outcome = classifyCurl(probe);
    const backends = podNames(await podsOf(ctx, f.web.name));
    const answeredBy = /^This is (\S+)/m.exec(probe.stdout)?.[1];
    const reachedBackend =
      outcome === ConnectOutcome.Reached &&
      answeredBy !== undefined &&
      backends.includes(answeredBy);
    const status = /^HTTP\/\S+ \d+.*$/m.exec(probe.stdout)?.[0]?.trim() ?? 'no status line';
    const server = /^server: (.*)$/im.exec(probe.stdout)?.[1]?.trim() ?? 'no server header';
    const observed =
      outcome !== ConnectOutcome.Reached
        ? outcome
        : reachedBackend
          ? `Reached backend ${answeredBy}`
          : `Reached, not a backend (${status}, server ${server})`;
    const table = [
      `control ${nodeIP}:${apiServerPort}  expected Reached                         observed ${controlOutcome}`,
      `${url.padEnd(27)} expected not a backend (TimedOut/...)  observed ${observed}`,
    ].join('\n');
    evidence.note(
      'expected vs observed',
      `backends of ${f.web.name}: ${backends.join(', ')}\n${table}`,
    );
    if (controlOutcome !== ConnectOutcome.Reached) {
      throw new CheckFailure(
        `control: expected the outside host to reach the control-plane node ${nodeIP}:${apiServerPort} (Reached), observed ${controlOutcome}; without it "not reachable" proves nothing\n${table}`,
        evidence,
      );
    }
    if (reachedBackend || outcome === ConnectOutcome.Inconclusive) {
      throw new CheckFailure(
        `outside host ${outside.ip} → ClusterIP ${url}: expected not to reach a backend (TimedOut, Unreachable or Refused), observed ${observed}\n${table}`,
        evidence,
      );
    }
  },
});
