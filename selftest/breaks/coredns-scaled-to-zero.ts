// Break: the cluster DNS is gone. Deployment kube-system/coredns is scaled to 0, so the kube-dns
// Service has no endpoints and every query from a pod is rejected (kube-proxy answers a Service
// without endpoints with ICMP unreachable) or times out. Every DNS check that resolves a name must
// fail naming that outcome, and the ClusterIP check that reaches the Service by name must fail with
// NameNotResolved; what does not use DNS (resolv.conf contents, pod-to-pod by IP, ClusterIP by IP,
// environment variables) must still pass. Repair: scale back to the replicas it had, wait until
// they are available.
import { scaleToZero, type Break } from '../break.ts';
import { checks } from '../checks.ts';

const namespace = 'kube-system';
const name = 'coredns';

/** What a failed name resolution looks like in the DNS checks' and curl's verdicts. */
const dnsFailure =
  /TimedOut \(no DNS server answered\)|SERVFAIL|REFUSED|no servers? could be reached/;

export default {
  name: 'coredns-scaled-to-zero',
  description: 'Deployment kube-system/coredns scaled to 0 replicas (no cluster DNS server)',
  suites: ['dns', 'clusterip', 'pod-networking', 'env-vars'],
  apply: (cluster) =>
    scaleToZero(cluster, {
      namespace,
      name,
      podSelector: 'k8s-app=kube-dns',
      fallbackReplicas: 2,
      availableDeadline: 'corednsReady',
    }),
  mustFail: [
    { check: checks.dns.serviceName, message: dnsFailure },
    { check: checks.dns.reversePtr, message: dnsFailure },
    { check: checks.dns.podIpName, message: dnsFailure },
    { check: checks.dns.headless, message: dnsFailure },
    { check: checks.dns.srv, message: dnsFailure },
    { check: checks.dns.statefulSet, message: dnsFailure },
    {
      // The ClusterIP row reached a backend while the short name did not resolve: DNS, not the
      // Service, is broken. (curl's "Resolving timed out" is classified TimedOut by the check.)
      check: checks.clusterip.byName,
      message:
        /ClusterIP .*observed Reached[\s\S]*short name .*observed (NameNotResolved|TimedOut)/,
    },
  ],
  mustPass: [
    checks.dns.resolvConf,
    checks.clusterip.spread,
    checks.podNetworking.localhost,
    checks.podNetworking.sameNode,
    checks.podNetworking.otherNode,
    checks.envVars.after,
    checks.envVars.before,
    checks.envVars.otherNamespaces,
    checks.envVars.linksDisabled,
  ],
} satisfies Break;
