// Break: hairpin mode off on every node's pod bridge (`cni0`). Each bridge port of a pod gets
// `hairpin off`, and the CNI configuration's `"hairpinMode": true` becomes false, so pods created
// while the cluster is broken (the suites' fixtures) get ports without it too. A packet that a pod
// sends to its own Service and that the Service proxy hands back to it must leave the bridge by the
// port it came in on; without hairpin mode the bridge drops it and the request times out. Traffic
// between different pods, on one node or across nodes, is untouched. Repair: the configuration
// file is put back as it was, and every port whose hairpin mode the break turned off, or that was
// created while it was off, gets hairpin mode on again; a port that had it off before stays off.
import type { Break, Repair, SelftestCluster } from '../break.ts';
import { nodeContainers, onNode } from '../break.ts';
import { checks } from '../checks.ts';

/** The pod bridge of flannel's CNI configuration (its bridge plugin's default name). */
const bridge = 'cni0';
/** Where the CNI configuration is saved while broken: outside net.d, so the runtime ignores it. */
const saved = '/etc/cni/kube-netconform-selftest.saved';
/** The setting the break flips, as the CNI configuration writes it. */
const hairpinOn = /"hairpinMode":\s*true/;

/** The node's bridge ports with their hairpin mode; none where the node has no pod bridge. */
async function bridgePorts(node: string): Promise<Map<string, boolean>> {
  const r = await onNode(node, [
    'sh',
    '-c',
    `[ ! -e /sys/class/net/${bridge} ] || ip -d -o link show master ${bridge}`,
  ]);
  const ports = new Map<string, boolean>();
  for (const m of r.stdout.matchAll(/^\d+: ([^@:\s]+)[^\n]*\bhairpin (on|off)\b/gm)) {
    ports.set(m[1] ?? '', m[2] === 'on');
  }
  return ports;
}

/** Sets the hairpin mode of one bridge port. */
async function setHairpin(node: string, port: string, on: boolean): Promise<void> {
  await onNode(node, ['bridge', 'link', 'set', 'dev', port, 'hairpin', on ? 'on' : 'off']);
}

/** Breaks one node: saves and rewrites its CNI configuration, turns hairpin off; returns the repair. */
async function hairpinOff(cluster: SelftestCluster, node: string): Promise<Repair> {
  const found = await onNode(node, ['sh', '-c', 'grep -l "hairpinMode" /etc/cni/net.d/* || true']);
  const file = found.stdout.trim().split('\n')[0] ?? '';
  const text = file === '' ? '' : (await onNode(node, ['cat', file])).stdout;
  if (!hairpinOn.test(text)) {
    throw new Error(
      `${node}: no CNI configuration in /etc/cni/net.d sets "hairpinMode": true: this break needs flannel's bridge`,
    );
  }
  await onNode(node, ['cp', '-p', file, saved]);
  await onNode(node, ['sed', '-i', 's/"hairpinMode":[[:space:]]*true/"hairpinMode": false/', file]);
  const offBefore = new Set<string>();
  for (const [port, on] of await bridgePorts(node)) {
    if (on) await setHairpin(node, port, false);
    else offBefore.add(port);
  }
  cluster.log(`${node}: hairpinMode false in ${file}, hairpin off on the ports of ${bridge}`);
  return async () => {
    // Written in place: containerd 1.6 did not reload the configuration after a rename into
    // net.d, and pods created after such a repair still got hairpin off.
    await onNode(node, ['sh', '-c', 'cat "$1" > "$2" && rm "$1"', 'restore', saved, file]);
    for (const [port, on] of await bridgePorts(node)) {
      if (!on && !offBefore.has(port)) await setHairpin(node, port, true);
    }
    cluster.log(`${node}: ${file} restored, hairpin on again on the ports of ${bridge}`);
  };
}

// "hairpin (node) → its own Service hairpin 10.96.0.9:80: expected 3 of 3 requests Reached hairpin, observed TimedOut 3 (…)"
const selfCallTimesOut =
  /its own Service [^\n]*expected \d+ of \d+ requests Reached \S+, observed TimedOut/;

export default {
  name: 'hairpin-mode-off-on-the-pod-bridges',
  description: `hairpin mode off on every port of the nodes' ${bridge} bridges, and in the CNI configuration for new pods`,
  suites: ['clusterip', 'pod-networking'],
  apply: async (cluster) => {
    const repairs: Repair[] = [];
    const repairAll: Repair = async () => {
      for (const repair of repairs) await repair();
    };
    try {
      for (const node of nodeContainers(cluster)) repairs.push(await hairpinOff(cluster, node));
    } catch (error) {
      await repairAll(); // the nodes done so far; the caller sees the apply fail
      throw error;
    }
    return repairAll;
  },
  mustFail: [{ check: checks.clusterip.hairpin, message: selfCallTimesOut }],
  mustPass: [
    checks.podNetworking.sameNode,
    checks.podNetworking.otherNode,
    checks.clusterip.byName,
    checks.clusterip.spread,
  ],
} satisfies Break;
