// Break: CoreDNS cannot reach its upstream resolver. CoreDNS forwards names outside the cluster zone
// to the resolvers of its pod's /etc/resolv.conf, which are the node's (`forward . /etc/resolv.conf`,
// kubelet's resolvConf). On every node a rule in raw PREROUTING drops DNS (UDP and TCP port 53)
// arriving from the node's pods for the nameservers of the node's /etc/resolv.conf: an upstream that
// no longer answers. The node's own lookups (OUTPUT) and everything CoreDNS serves from the cluster
// zone are untouched. The ExternalName target check, whose target is a name only the upstream knows,
// must fail saying that the target did not resolve through CoreDNS's upstream; the DNS checks and
// the CNAME check (all answered from the zone) must still pass.
// Repair: delete the rules.
import type { Break, Repair } from '../break.ts';
import { insertRule, nodeContainers, onNode } from '../break.ts';
import { checks } from '../checks.ts';

const comment = [
  '-m',
  'comment',
  '--comment',
  'kube-netconform selftest: coredns-cannot-reach-its-upstream-resolver',
];

/** The IPv4 nameservers of a node's /etc/resolv.conf (kind's: Docker's DNS behind the gateway). */
async function nodeResolvers(node: string): Promise<string[]> {
  const r = await onNode(node, ['cat', '/etc/resolv.conf']);
  const ips = [...r.stdout.matchAll(/^nameserver\s+(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]);
  const found = ips.filter((ip) => ip !== undefined);
  if (found.length === 0) throw new Error(`no IPv4 nameserver in /etc/resolv.conf of ${node}`);
  return found;
}

export default {
  name: 'coredns-cannot-reach-its-upstream-resolver',
  description:
    "DNS from pods to the nodes' resolvers (CoreDNS's upstream) dropped in raw PREROUTING on every node",
  suites: ['externalname', 'dns'],
  apply: async (cluster) => {
    const repairs: Repair[] = [];
    const repairAll: Repair = async () => {
      for (const repair of [...repairs].reverse()) await repair();
    };
    try {
      for (const node of nodeContainers(cluster)) {
        for (const ip of await nodeResolvers(node)) {
          for (const protocol of ['udp', 'tcp']) {
            const rule = [
              '-d',
              `${ip}/32`,
              '-p',
              protocol,
              '--dport',
              '53',
              ...comment,
              '-j',
              'DROP',
            ];
            repairs.push(await insertRule(cluster, node, 'raw', 'PREROUTING', rule));
          }
        }
      }
    } catch (error) {
      await repairAll(); // the rules inserted so far; the caller sees the apply fail
      throw error;
    }
    return repairAll;
  },
  mustFail: [
    {
      // "pod client-… → http://external.<ns>.svc.cluster.local/ (ExternalName → <container>): the
      // target name <container> did not resolve through CoreDNS's upstream resolver: dig … A
      // observed TimedOut, …".
      check: checks.externalname.targetAnswers,
      message:
        /the target name \S+ did not resolve through CoreDNS's upstream resolver: dig \S+ A observed (CNAME only, )?(no A record|TimedOut|SERVFAIL|NXDOMAIN)/,
    },
  ],
  mustPass: [
    checks.externalname.cname,
    checks.dns.serviceName,
    checks.dns.reversePtr,
    checks.dns.podIpName,
    checks.dns.headless,
    checks.dns.srv,
    checks.dns.statefulSet,
    checks.dns.resolvConf,
  ],
} satisfies Break;
