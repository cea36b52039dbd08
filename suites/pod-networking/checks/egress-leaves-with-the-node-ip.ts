// Expected: a pod's request to a host outside the cluster (a container on the nodes' Docker network,
// not a node and not a pod) arrives there from the InternalIP of the pod's node, not from the pod IP.
// Kubernetes' network model only requires pod-to-pod and node-to-pod traffic without NAT; egress to
// other destinations is the CNI's business, and the CNIs masquerade it (flannel with --ip-masq: every
// packet from the pod CIDR to a destination outside the pod CIDR is SNATed to the node's address).
// They have to: the network outside the cluster has no route back to pod CIDRs, so an unNATed
// request gets no answer. Observed on kind with flannel: the node network itself is not exempt;
// traffic to 172.18.0.0/16 (the outside container included) is masqueraded like any other.
// Three requests in one exec; each answer's "client:" line must be the node's InternalIP.
import { classifyCurl, ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import type { PodNetworkingFixtures } from '../fixtures.ts';
import { needsOutsideHost } from '../../framework/cluster-facts.ts';
import { outsideOf } from '../../framework/outside.ts';

/** Requests sent in the one exec. */
const requests = 3;

/** Names the source address the outside server saw, relative to the pod and its node. */
function nameSource(seen: string, nodeIP: string, podIP: string): string {
  if (seen === nodeIP) return `${seen} (the node's InternalIP)`;
  if (seen === podIP) return `${seen} (the pod IP: not masqueraded)`;
  return `${seen} (neither the node's InternalIP nor the pod IP)`;
}

export default defineCheck<PodNetworkingFixtures>({
  id: 'pod-networking/egress-leaves-with-the-node-ip',
  title: "a pod's traffic to a host outside the cluster arrives from its node's InternalIP",
  skipUnless: needsOutsideHost,
  assess: async (ctx, f, evidence) => {
    const podIP = f.client.status?.podIP ?? '';
    const node = f.client.spec?.nodeName ?? '?';
    const server = outsideOf(f.outsideServer);
    const url = `http://${server.ip.includes(':') ? `[${server.ip}]` : server.ip}:80/`;
    const route = `pod ${f.client.metadata?.name ?? '?'} (${podIP} on ${node}) → outside ${server.name} ${url}`;
    const result = evidence.probe(
      route,
      await ctx.exec(f.client.metadata?.name ?? '', 'netshoot', [
        'sh',
        '-c',
        'i=0; while [ $i -lt "$1" ]; do i=$((i+1)); curl -sS --connect-timeout 2 --max-time 4 "$2" || exit $?; done',
        'egress',
        String(requests),
        url,
      ]),
    );
    const outcome = classifyCurl(result);
    if (outcome !== ConnectOutcome.Reached) {
      throw new CheckFailure(
        `${route}: expected Reached with source ${f.clientNodeIP} (the node's InternalIP), observed ${outcome}` +
          (outcome === ConnectOutcome.TimedOut
            ? ' (an unmasqueraded pod IP gets no reply from outside the cluster)'
            : ''),
        evidence,
      );
    }
    const seen = [...result.stdout.matchAll(/^client: \[?(.*?)\]?:\d+$/gm)].map((m) => m[1] ?? '');
    const table = [
      `${'request'.padEnd(8)} ${'expected source'.padEnd(40)} observed source`,
      ...seen.map(
        (ip, i) =>
          `${String(i + 1).padEnd(8)} ${`${f.clientNodeIP} (the node's InternalIP)`.padEnd(40)} ${nameSource(ip, f.clientNodeIP, podIP)}`,
      ),
    ].join('\n');
    evidence.note('source address per request', table);
    const wrong = seen.filter((ip) => ip !== f.clientNodeIP);
    if (seen.length !== requests || wrong.length > 0) {
      throw new CheckFailure(
        `${route}: expected ${requests} answers seeing ${f.clientNodeIP} (${node}'s InternalIP), observed ` +
          (seen.length === 0
            ? 'no client address in the answers'
            : seen.map((ip) => nameSource(ip, f.clientNodeIP, podIP)).join(', ')) +
          `\n${table}`,
        evidence,
      );
    }
  },
});
